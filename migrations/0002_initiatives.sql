CREATE TABLE "initiative_carriers" (
	"initiative_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	CONSTRAINT "initiative_carriers_initiative_id_organisation_id_pk" PRIMARY KEY("initiative_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "initiative_territories" (
	"initiative_id" uuid NOT NULL,
	"territory_id" text NOT NULL,
	CONSTRAINT "initiative_territories_initiative_id_territory_id_pk" PRIMARY KEY("initiative_id","territory_id")
);
--> statement-breakpoint
CREATE TABLE "initiatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"contact_person_id" uuid,
	"themes" text[] DEFAULT '{}' NOT NULL,
	"stage" text DEFAULT 'idea' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"starts_on" date,
	"ends_on" date,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"image_file" text,
	"image_content_type" text,
	"territory_scope" text[] DEFAULT '{}' NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "initiatives_stage_check" CHECK ("initiatives"."stage" in ('idea', 'starting', 'running', 'finished')),
	CONSTRAINT "initiatives_status_check" CHECK ("initiatives"."status" in
    ('draft', 'submitted', 'published', 'archived')),
	CONSTRAINT "initiatives_dates_check" CHECK ("initiatives"."starts_on" is null
    or "initiatives"."ends_on" is null or "initiatives"."starts_on" <= "initiatives"."ends_on")
);
--> statement-breakpoint
ALTER TABLE "initiative_carriers" ADD CONSTRAINT "initiative_carriers_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_carriers" ADD CONSTRAINT "initiative_carriers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_territories" ADD CONSTRAINT "initiative_territories_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_territories" ADD CONSTRAINT "initiative_territories_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_contact_person_id_people_id_fk" FOREIGN KEY ("contact_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "initiative_carriers_organisation_idx" ON "initiative_carriers" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "initiatives_slug_key" ON "initiatives" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "initiatives_status_idx" ON "initiatives" USING btree ("status");--> statement-breakpoint
CREATE INDEX "initiatives_scope_idx" ON "initiatives" USING gin ("territory_scope");