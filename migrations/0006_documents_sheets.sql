CREATE TABLE "document_organisations" (
	"document_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	CONSTRAINT "document_organisations_document_id_organisation_id_pk" PRIMARY KEY("document_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "document_territories" (
	"document_id" uuid NOT NULL,
	"territory_id" text NOT NULL,
	CONSTRAINT "document_territories_document_id_territory_id_pk" PRIMARY KEY("document_id","territory_id")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"authors" text DEFAULT '' NOT NULL,
	"year" integer,
	"language" text DEFAULT 'fr' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"themes" text[] DEFAULT '{}' NOT NULL,
	"territory_scope" text[] DEFAULT '{}' NOT NULL,
	"source_url" text,
	"file_name" text,
	"file_original_name" text,
	"file_content_type" text,
	"file_size" integer,
	"text_status" text DEFAULT 'none' NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"deposited_by" uuid,
	"published_at" timestamp with time zone,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('french', atelier_unaccent(coalesce(title, ''))), 'A') || setweight(to_tsvector('french', atelier_unaccent(coalesce(summary, ''))), 'B') || setweight(to_tsvector('french', atelier_unaccent(coalesce(body, ''))), 'C')) STORED NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_kind_check" CHECK ("documents"."kind" in ('charter', 'statutes',
    'strategy', 'framework', 'study', 'key_text', 'finding', 'proposals',
    'review', 'teaching_tool', 'other')),
	CONSTRAINT "documents_status_check" CHECK ("documents"."status" in ('submitted', 'published', 'refused')),
	CONSTRAINT "documents_text_status_check" CHECK ("documents"."text_status" in ('none', 'extracted', 'not_extracted'))
);
--> statement-breakpoint
CREATE TABLE "experience_sheets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"context" text DEFAULT '' NOT NULL,
	"actors" text DEFAULT '' NOT NULL,
	"trajectory" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"actions" text DEFAULT '' NOT NULL,
	"effects" text DEFAULT '' NOT NULL,
	"difficulties" text DEFAULT '' NOT NULL,
	"lessons" text DEFAULT '' NOT NULL,
	"themes" text[] DEFAULT '{}' NOT NULL,
	"competences" text[] DEFAULT '{}' NOT NULL,
	"tools" text[] DEFAULT '{}' NOT NULL,
	"methods" text[] DEFAULT '{}' NOT NULL,
	"territory_scope" text[] DEFAULT '{}' NOT NULL,
	"facilitator_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"body_text" text DEFAULT '' NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('french', atelier_unaccent(coalesce(title, ''))), 'A') || setweight(to_tsvector('french', atelier_unaccent(coalesce(summary, ''))), 'B') || setweight(to_tsvector('french', atelier_unaccent(coalesce(body_text, ''))), 'C')) STORED NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experience_sheets_status_check" CHECK ("experience_sheets"."status" in
    ('draft', 'submitted', 'published', 'sent_back'))
);
--> statement-breakpoint
CREATE TABLE "sheet_authors" (
	"sheet_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "sheet_authors_sheet_id_person_id_pk" PRIMARY KEY("sheet_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "sheet_organisations" (
	"sheet_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	CONSTRAINT "sheet_organisations_sheet_id_organisation_id_pk" PRIMARY KEY("sheet_id","organisation_id")
);
--> statement-breakpoint
ALTER TABLE "document_organisations" ADD CONSTRAINT "document_organisations_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_organisations" ADD CONSTRAINT "document_organisations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_territories" ADD CONSTRAINT "document_territories_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_territories" ADD CONSTRAINT "document_territories_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_deposited_by_people_id_fk" FOREIGN KEY ("deposited_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experience_sheets" ADD CONSTRAINT "experience_sheets_facilitator_id_people_id_fk" FOREIGN KEY ("facilitator_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_authors" ADD CONSTRAINT "sheet_authors_sheet_id_experience_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."experience_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_authors" ADD CONSTRAINT "sheet_authors_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_organisations" ADD CONSTRAINT "sheet_organisations_sheet_id_experience_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."experience_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_organisations" ADD CONSTRAINT "sheet_organisations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_slug_key" ON "documents" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "documents_search_idx" ON "documents" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "documents_status_idx" ON "documents" USING btree ("status","published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "experience_sheets_slug_key" ON "experience_sheets" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "experience_sheets_search_idx" ON "experience_sheets" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "experience_sheets_status_idx" ON "experience_sheets" USING btree ("status","published_at");--> statement-breakpoint
CREATE INDEX "sheet_authors_person_idx" ON "sheet_authors" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "sheet_organisations_organisation_idx" ON "sheet_organisations" USING btree ("organisation_id");