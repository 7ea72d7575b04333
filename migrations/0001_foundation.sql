CREATE TABLE "account_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"person_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_tokens_purpose_check" CHECK ("account_tokens"."purpose" in
    ('sign_in', 'password_reset', 'invitation', 'first_staff')),
	CONSTRAINT "account_tokens_person_check" CHECK ("account_tokens"."purpose" = 'first_staff' or "account_tokens"."person_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"full_name" text NOT NULL,
	"email" text,
	"role" text DEFAULT 'ally' NOT NULL,
	"account_status" text DEFAULT 'none' NOT NULL,
	"password_hash" text,
	"is_facilitator" boolean DEFAULT false NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"phone" text,
	"email_visibility" text DEFAULT 'allies' NOT NULL,
	"phone_visibility" text DEFAULT 'allies' NOT NULL,
	"join_message" text DEFAULT '' NOT NULL,
	"calendar_token" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_role_check" CHECK ("people"."role" in ('ally', 'staff')),
	CONSTRAINT "people_email_visibility_check" CHECK ("people"."email_visibility" in ('public', 'allies', 'staff')),
	CONSTRAINT "people_phone_visibility_check" CHECK ("people"."phone_visibility" in ('public', 'allies', 'staff')),
	CONSTRAINT "people_active_has_email_check" CHECK ("people"."account_status" = 'none' or "people"."email" is not null)
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limits_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_data" (
	"name" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "territories" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_key" text GENERATED ALWAYS AS (atelier_fold(name)) STORED NOT NULL,
	"departement_code" text,
	"region_code" text,
	"epci_code" text,
	"population" integer,
	"ancestors" text[] NOT NULL,
	CONSTRAINT "territories_kind_check" CHECK ("territories"."kind" in ('commune', 'epci', 'departement', 'region'))
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"role" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_person_id_organisation_id_pk" PRIMARY KEY("person_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "organisation_territories" (
	"organisation_id" uuid NOT NULL,
	"territory_id" text NOT NULL,
	CONSTRAINT "organisation_territories_organisation_id_territory_id_pk" PRIMARY KEY("organisation_id","territory_id")
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kind" text,
	"description" text DEFAULT '' NOT NULL,
	"themes" text[] DEFAULT '{}' NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"website" text,
	"address" text,
	"postal_code" text,
	"city" text,
	"commune_id" text,
	"charter_signatory" boolean DEFAULT false NOT NULL,
	"charter_signed_on" date,
	"email" text,
	"phone" text,
	"email_visibility" text DEFAULT 'allies' NOT NULL,
	"phone_visibility" text DEFAULT 'allies' NOT NULL,
	"address_visibility" text DEFAULT 'public' NOT NULL,
	"staff_notes" text DEFAULT '' NOT NULL,
	"territory_scope" text[] DEFAULT '{}' NOT NULL,
	"name_key" text GENERATED ALWAYS AS (atelier_fold(name)) STORED NOT NULL,
	"town_key" text GENERATED ALWAYS AS (atelier_fold(coalesce(city, ''))) STORED NOT NULL,
	"search_key" text GENERATED ALWAYS AS (atelier_fold(
    name || ' ' || coalesce(city, '') || ' ' || atelier_join(themes)
    || ' ' || atelier_join(skills))) STORED NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_kind_check" CHECK ("organisations"."kind" is null or "organisations"."kind" in
    ('local_authority', 'association', 'company', 'research', 'consultancy',
     'public_body', 'collective', 'individual')),
	CONSTRAINT "organisations_visibility_check" CHECK (
    "organisations"."email_visibility" in ('public', 'allies', 'staff') and
    "organisations"."phone_visibility" in ('public', 'allies', 'staff') and
    "organisations"."address_visibility" in ('public', 'allies', 'staff')),
	CONSTRAINT "organisations_signed_on_check" CHECK ("organisations"."charter_signed_on" is null or "organisations"."charter_signatory")
);
--> statement-breakpoint
CREATE TABLE "attendances" (
	"occurrence_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"new_to_alliance" boolean DEFAULT false NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendances_occurrence_id_person_id_pk" PRIMARY KEY("occurrence_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"host_organisation_id" uuid,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"all_day" boolean DEFAULT false NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"video_url" text,
	"capacity" integer,
	"registration_opens_at" timestamp with time zone,
	"registration_closes_at" timestamp with time zone,
	"visibility" text DEFAULT 'public' NOT NULL,
	"rrule" text,
	"exdates" timestamp with time zone[] DEFAULT '{}' NOT NULL,
	"ical_uid" text NOT NULL,
	"cancelled" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_kind_check" CHECK ("events"."kind" in ('meetup', 'office_hours',
    'training', 'fundamentals', 'labelling', 'assembly', 'other')),
	CONSTRAINT "events_visibility_check" CHECK ("events"."visibility" in ('public', 'allies')),
	CONSTRAINT "events_dates_check" CHECK ("events"."ends_at" >= "events"."starts_at"),
	CONSTRAINT "events_capacity_check" CHECK ("events"."capacity" is null or "events"."capacity" > 0),
	CONSTRAINT "events_registration_window_check" CHECK (
    "events"."registration_opens_at" is null or "events"."registration_closes_at" is null
    or "events"."registration_opens_at" <= "events"."registration_closes_at")
);
--> statement-breakpoint
CREATE TABLE "occurrences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer,
	"confirmed_count" integer DEFAULT 0 NOT NULL,
	"cancelled" boolean DEFAULT false NOT NULL,
	CONSTRAINT "occurrences_dates_check" CHECK ("occurrences"."ends_at" >= "occurrences"."starts_at"),
	CONSTRAINT "occurrences_capacity_check" CHECK ("occurrences"."confirmed_count" >= 0 and
    ("occurrences"."capacity" is null or "occurrences"."confirmed_count" <= "occurrences"."capacity"))
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"occurrence_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"status" text NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reminder_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registrations_status_check" CHECK ("registrations"."status" in ('confirmed', 'waiting', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"dedupe_key" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_status_check" CHECK ("outbox"."status" in ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_territories" ADD CONSTRAINT "organisation_territories_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_territories" ADD CONSTRAINT "organisation_territories_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_commune_id_territories_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendances" ADD CONSTRAINT "attendances_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendances" ADD CONSTRAINT "attendances_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendances" ADD CONSTRAINT "attendances_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_host_organisation_id_organisations_id_fk" FOREIGN KEY ("host_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "people_email_key" ON "people" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "people_calendar_token_key" ON "people" USING btree ("calendar_token");--> statement-breakpoint
CREATE INDEX "sessions_person_idx" ON "sessions" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "territories_name_key_trgm_idx" ON "territories" USING gin ("name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "territories_ancestors_idx" ON "territories" USING gin ("ancestors");--> statement-breakpoint
CREATE INDEX "memberships_organisation_idx" ON "memberships" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_slug_key" ON "organisations" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_name_town_key" ON "organisations" USING btree ("name_key","town_key");--> statement-breakpoint
CREATE INDEX "organisations_search_trgm_idx" ON "organisations" USING gin ("search_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "organisations_scope_idx" ON "organisations" USING gin ("territory_scope");--> statement-breakpoint
CREATE INDEX "organisations_themes_idx" ON "organisations" USING gin ("themes");--> statement-breakpoint
CREATE INDEX "attendances_person_idx" ON "attendances" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_slug_key" ON "events" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "events_ical_uid_key" ON "events" USING btree ("ical_uid");--> statement-breakpoint
CREATE UNIQUE INDEX "occurrences_event_start_key" ON "occurrences" USING btree ("event_id","starts_at");--> statement-breakpoint
CREATE INDEX "occurrences_starts_at_idx" ON "occurrences" USING btree ("starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_occurrence_person_key" ON "registrations" USING btree ("occurrence_id","person_id");--> statement-breakpoint
CREATE INDEX "registrations_person_idx" ON "registrations" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "registrations_waiting_idx" ON "registrations" USING btree ("occurrence_id","queued_at") WHERE "registrations"."status" = 'waiting';--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_key" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."status" = 'pending';