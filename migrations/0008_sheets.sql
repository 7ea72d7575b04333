CREATE TABLE "facilitator_availability" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"available" boolean DEFAULT true NOT NULL,
	"themes" text[] DEFAULT '{}' NOT NULL,
	"languages" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sheet_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sheet_id" uuid NOT NULL,
	"stored_name" text NOT NULL,
	"original_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sheet_attachments_type_check" CHECK ("sheet_attachments"."content_type" in
    ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
	CONSTRAINT "sheet_attachments_size_check" CHECK ("sheet_attachments"."size" > 0 and "sheet_attachments"."size" <= 10485760)
);
--> statement-breakpoint
CREATE TABLE "sheet_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sheet_id" uuid NOT NULL,
	"section" text NOT NULL,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sheet_comments_section_check" CHECK ("sheet_comments"."section" in ('summary',
    'context', 'actors', 'trajectory', 'actions', 'effects',
    'difficulties', 'lessons', 'descriptors')),
	CONSTRAINT "sheet_comments_body_check" CHECK (length("sheet_comments"."body") between 1
    and 5000)
);
--> statement-breakpoint
CREATE TABLE "sheet_events" (
	"sheet_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	CONSTRAINT "sheet_events_sheet_id_event_id_pk" PRIMARY KEY("sheet_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "sheet_initiatives" (
	"sheet_id" uuid NOT NULL,
	"initiative_id" uuid NOT NULL,
	CONSTRAINT "sheet_initiatives_sheet_id_initiative_id_pk" PRIMARY KEY("sheet_id","initiative_id")
);
--> statement-breakpoint
CREATE TABLE "sheet_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sheet_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"reason" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_by" uuid,
	"changed_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sheet_versions_reason_check" CHECK ("sheet_versions"."reason" in ('published', 'edited')),
	CONSTRAINT "sheet_versions_number_check" CHECK ("sheet_versions"."number" >= 1)
);
--> statement-breakpoint
CREATE TABLE "training_completions" (
	"occurrence_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_completions_occurrence_id_person_id_pk" PRIMARY KEY("occurrence_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "training_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "experience_sheets" ADD COLUMN "territory_ids" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "experience_sheets" ADD COLUMN "review_remarks" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "experience_sheets" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "facilitator_availability" ADD CONSTRAINT "facilitator_availability_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_attachments" ADD CONSTRAINT "sheet_attachments_sheet_id_experience_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."experience_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_attachments" ADD CONSTRAINT "sheet_attachments_uploaded_by_people_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_comments" ADD CONSTRAINT "sheet_comments_sheet_id_experience_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."experience_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_comments" ADD CONSTRAINT "sheet_comments_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_events" ADD CONSTRAINT "sheet_events_sheet_id_experience_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."experience_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_events" ADD CONSTRAINT "sheet_events_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_initiatives" ADD CONSTRAINT "sheet_initiatives_sheet_id_experience_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."experience_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_initiatives" ADD CONSTRAINT "sheet_initiatives_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_versions" ADD CONSTRAINT "sheet_versions_sheet_id_experience_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."experience_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_versions" ADD CONSTRAINT "sheet_versions_changed_by_people_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_completions" ADD CONSTRAINT "training_completions_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_completions" ADD CONSTRAINT "training_completions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_completions" ADD CONSTRAINT "training_completions_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_requests" ADD CONSTRAINT "training_requests_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sheet_attachments_stored_name_key" ON "sheet_attachments" USING btree ("stored_name");--> statement-breakpoint
CREATE INDEX "sheet_attachments_sheet_idx" ON "sheet_attachments" USING btree ("sheet_id");--> statement-breakpoint
CREATE INDEX "sheet_comments_sheet_idx" ON "sheet_comments" USING btree ("sheet_id","created_at");--> statement-breakpoint
CREATE INDEX "sheet_events_event_idx" ON "sheet_events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "sheet_initiatives_initiative_idx" ON "sheet_initiatives" USING btree ("initiative_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sheet_versions_number_key" ON "sheet_versions" USING btree ("sheet_id","number");--> statement-breakpoint
CREATE INDEX "training_completions_person_idx" ON "training_completions" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_requests_open_key" ON "training_requests" USING btree ("person_id") WHERE "training_requests"."closed_at" is null;--> statement-breakpoint
ALTER TABLE "experience_sheets" ADD CONSTRAINT "experience_sheets_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experience_sheets" ADD CONSTRAINT "experience_sheets_published_at_check" CHECK ("experience_sheets"."status"
    <> 'published' or "experience_sheets"."published_at" is not null);