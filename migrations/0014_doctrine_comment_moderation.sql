ALTER TABLE "doctrine_comments" ADD COLUMN "hidden_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD COLUMN "hidden_by" uuid;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD CONSTRAINT "doctrine_comments_hidden_by_people_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD CONSTRAINT "doctrine_comments_hidden_check" CHECK ("doctrine_comments"."hidden_by" is null or "doctrine_comments"."hidden_at" is not null);