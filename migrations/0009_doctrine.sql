CREATE TABLE "doctrine_amendments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"text_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"author_id" uuid,
	"base_version" integer NOT NULL,
	"passage" text NOT NULL,
	"replacement" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text DEFAULT '' NOT NULL,
	"resulting_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "doctrine_amendments_status_check" CHECK ("doctrine_amendments"."status" in ('proposed', 'accepted', 'rejected')),
	CONSTRAINT "doctrine_amendments_passage_check" CHECK (length("doctrine_amendments"."passage") > 0 and "doctrine_amendments"."passage" <> "doctrine_amendments"."replacement"),
	CONSTRAINT "doctrine_amendments_decided_check" CHECK (
    ("doctrine_amendments"."status" = 'proposed') = ("doctrine_amendments"."decided_at" is null)
    and ("doctrine_amendments"."status" = 'accepted') = ("doctrine_amendments"."resulting_version" is not null))
);
--> statement-breakpoint
CREATE TABLE "doctrine_briefs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"text_id" uuid NOT NULL,
	"audience" text NOT NULL,
	"format" text NOT NULL,
	"themes" text[] DEFAULT '{}' NOT NULL,
	"deadline" date NOT NULL,
	"description" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"chosen_person_id" uuid,
	"result_url" text,
	"result_file" text,
	"result_description" text,
	"delivered_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "doctrine_briefs_status_check" CHECK ("doctrine_briefs"."status" in ('open', 'assigned', 'delivered')),
	CONSTRAINT "doctrine_briefs_chosen_check" CHECK ("doctrine_briefs"."status" = 'open'
    or "doctrine_briefs"."chosen_person_id" is not null),
	CONSTRAINT "doctrine_briefs_delivered_check" CHECK ("doctrine_briefs"."status" <> 'delivered'
    or ("doctrine_briefs"."delivered_at" is not null and ("doctrine_briefs"."result_url" is not null
    or "doctrine_briefs"."result_file" is not null) and "doctrine_briefs"."result_description" is not null))
);
--> statement-breakpoint
CREATE TABLE "doctrine_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"text_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"parent_id" uuid,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "doctrine_comments_body_check" CHECK (length(trim("doctrine_comments"."body")) > 0)
);
--> statement-breakpoint
CREATE TABLE "doctrine_texts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"document_id" uuid NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"reason" text NOT NULL,
	"proposed_by" uuid,
	"debate_opened_at" timestamp with time zone,
	"debate_ends_at" timestamp with time zone,
	"ballot_id" uuid,
	"ballot_version" integer,
	"validated_version" integer,
	"validated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "doctrine_texts_status_check" CHECK ("doctrine_texts"."status" in ('proposed',
    'debate', 'voting', 'validated', 'rejected')),
	CONSTRAINT "doctrine_texts_debate_check" CHECK ("doctrine_texts"."status" not in ('debate',
    'voting') or ("doctrine_texts"."debate_opened_at" is not null
    and "doctrine_texts"."debate_ends_at" > "doctrine_texts"."debate_opened_at")),
	CONSTRAINT "doctrine_texts_voting_check" CHECK ("doctrine_texts"."status" <> 'voting'
    or ("doctrine_texts"."ballot_id" is not null and "doctrine_texts"."ballot_version" is not null)),
	CONSTRAINT "doctrine_texts_validated_check" CHECK (("doctrine_texts"."validated_version" is null)
    = ("doctrine_texts"."validated_at" is null) and ("doctrine_texts"."status" <> 'validated'
    or "doctrine_texts"."validated_version" is not null))
);
--> statement-breakpoint
CREATE TABLE "doctrine_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"text_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"body" text NOT NULL,
	"author_id" uuid,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "doctrine_versions_number_check" CHECK ("doctrine_versions"."number" >= 1)
);
--> statement-breakpoint
CREATE TABLE "doctrine_volunteers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brief_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ballots" DROP CONSTRAINT "ballots_subject_kind_check";--> statement-breakpoint
-- The threaded comments' composite key needs its unique index first.
CREATE UNIQUE INDEX "doctrine_comments_text_id_key" ON "doctrine_comments" USING btree ("text_id","id");--> statement-breakpoint
ALTER TABLE "doctrine_amendments" ADD CONSTRAINT "doctrine_amendments_text_id_doctrine_texts_id_fk" FOREIGN KEY ("text_id") REFERENCES "public"."doctrine_texts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_amendments" ADD CONSTRAINT "doctrine_amendments_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_amendments" ADD CONSTRAINT "doctrine_amendments_decided_by_people_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_briefs" ADD CONSTRAINT "doctrine_briefs_text_id_doctrine_texts_id_fk" FOREIGN KEY ("text_id") REFERENCES "public"."doctrine_texts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_briefs" ADD CONSTRAINT "doctrine_briefs_chosen_person_id_people_id_fk" FOREIGN KEY ("chosen_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_briefs" ADD CONSTRAINT "doctrine_briefs_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD CONSTRAINT "doctrine_comments_text_id_doctrine_texts_id_fk" FOREIGN KEY ("text_id") REFERENCES "public"."doctrine_texts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD CONSTRAINT "doctrine_comments_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD CONSTRAINT "doctrine_comments_parent_fk" FOREIGN KEY ("text_id","parent_id") REFERENCES "public"."doctrine_comments"("text_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_texts" ADD CONSTRAINT "doctrine_texts_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_texts" ADD CONSTRAINT "doctrine_texts_proposed_by_people_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_texts" ADD CONSTRAINT "doctrine_texts_ballot_id_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."ballots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_versions" ADD CONSTRAINT "doctrine_versions_text_id_doctrine_texts_id_fk" FOREIGN KEY ("text_id") REFERENCES "public"."doctrine_texts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_versions" ADD CONSTRAINT "doctrine_versions_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_volunteers" ADD CONSTRAINT "doctrine_volunteers_brief_id_doctrine_briefs_id_fk" FOREIGN KEY ("brief_id") REFERENCES "public"."doctrine_briefs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_volunteers" ADD CONSTRAINT "doctrine_volunteers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "doctrine_amendments_text_idx" ON "doctrine_amendments" USING btree ("text_id","created_at");--> statement-breakpoint
CREATE INDEX "doctrine_briefs_text_idx" ON "doctrine_briefs" USING btree ("text_id");--> statement-breakpoint
CREATE INDEX "doctrine_comments_text_idx" ON "doctrine_comments" USING btree ("text_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "doctrine_texts_slug_key" ON "doctrine_texts" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "doctrine_texts_document_key" ON "doctrine_texts" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "doctrine_texts_status_idx" ON "doctrine_texts" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "doctrine_versions_number_key" ON "doctrine_versions" USING btree ("text_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "doctrine_volunteers_brief_person_key" ON "doctrine_volunteers" USING btree ("brief_id","person_id");--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_subject_kind_check" CHECK ("ballots"."subject_kind" in ('label_proposal', 'doctrine'));