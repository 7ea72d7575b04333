CREATE TABLE "initiative_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"initiative_id" uuid NOT NULL,
	"person_id" uuid,
	"action" text NOT NULL,
	"status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "initiative_history_action_check" CHECK ("initiative_history"."action" in ('created',
    'edited', 'submitted', 'published', 'unpublished', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "pooling_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"initiative_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"target_initiative_id" uuid,
	"target_organisation_id" uuid,
	"decision" text NOT NULL,
	"reasons" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pooling_decisions_target_check" CHECK (
    ("pooling_decisions"."target_initiative_id" is null) <> ("pooling_decisions"."target_organisation_id" is null)),
	CONSTRAINT "pooling_decisions_decision_check" CHECK ("pooling_decisions"."decision" in ('talk', 'not_relevant'))
);
--> statement-breakpoint
CREATE TABLE "initiative_pooling_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"initiative_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"search_key" text GENERATED ALWAYS AS (atelier_fold(text)) STORED NOT NULL,
	"lexemes" text[] GENERATED ALWAYS AS (
    tsvector_to_array(to_tsvector('french'::regconfig, atelier_fold(text)))) STORED NOT NULL,
	CONSTRAINT "pooling_items_direction_check" CHECK ("initiative_pooling_items"."direction" in ('offer', 'need')),
	CONSTRAINT "pooling_items_kind_check" CHECK ("initiative_pooling_items"."kind" in ('method', 'tool',
    'training', 'study', 'staff_time', 'place', 'funding', 'other')),
	CONSTRAINT "pooling_items_text_check" CHECK (length("initiative_pooling_items"."text") between 1 and 300)
);
--> statement-breakpoint
ALTER TABLE "initiatives" ADD COLUMN "search_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "initiatives" ADD COLUMN "search_vector" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
ALTER TABLE "initiative_history" ADD CONSTRAINT "initiative_history_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_history" ADD CONSTRAINT "initiative_history_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooling_decisions" ADD CONSTRAINT "pooling_decisions_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooling_decisions" ADD CONSTRAINT "pooling_decisions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooling_decisions" ADD CONSTRAINT "pooling_decisions_target_initiative_id_initiatives_id_fk" FOREIGN KEY ("target_initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pooling_decisions" ADD CONSTRAINT "pooling_decisions_target_organisation_id_organisations_id_fk" FOREIGN KEY ("target_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_pooling_items" ADD CONSTRAINT "initiative_pooling_items_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "initiative_history_initiative_idx" ON "initiative_history" USING btree ("initiative_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pooling_decisions_talk_key" ON "pooling_decisions" USING btree ("initiative_id",coalesce("target_initiative_id", "target_organisation_id")) WHERE "pooling_decisions"."decision" = 'talk';--> statement-breakpoint
CREATE UNIQUE INDEX "pooling_decisions_hidden_key" ON "pooling_decisions" USING btree ("initiative_id","person_id",coalesce("target_initiative_id", "target_organisation_id")) WHERE "pooling_decisions"."decision" = 'not_relevant';--> statement-breakpoint
CREATE INDEX "pooling_decisions_target_initiative_idx" ON "pooling_decisions" USING btree ("target_initiative_id");--> statement-breakpoint
CREATE INDEX "pooling_decisions_target_organisation_idx" ON "pooling_decisions" USING btree ("target_organisation_id");--> statement-breakpoint
CREATE INDEX "pooling_items_initiative_idx" ON "initiative_pooling_items" USING btree ("initiative_id");--> statement-breakpoint
CREATE INDEX "pooling_items_kind_idx" ON "initiative_pooling_items" USING btree ("kind","direction");--> statement-breakpoint
CREATE INDEX "pooling_items_method_offer_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'method' and direction = 'offer';--> statement-breakpoint
CREATE INDEX "pooling_items_method_need_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'method' and direction = 'need';--> statement-breakpoint
CREATE INDEX "pooling_items_tool_offer_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'tool' and direction = 'offer';--> statement-breakpoint
CREATE INDEX "pooling_items_tool_need_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'tool' and direction = 'need';--> statement-breakpoint
CREATE INDEX "pooling_items_training_offer_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'training' and direction = 'offer';--> statement-breakpoint
CREATE INDEX "pooling_items_training_need_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'training' and direction = 'need';--> statement-breakpoint
CREATE INDEX "pooling_items_study_offer_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'study' and direction = 'offer';--> statement-breakpoint
CREATE INDEX "pooling_items_study_need_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'study' and direction = 'need';--> statement-breakpoint
CREATE INDEX "pooling_items_staff_time_offer_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'staff_time' and direction = 'offer';--> statement-breakpoint
CREATE INDEX "pooling_items_staff_time_need_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'staff_time' and direction = 'need';--> statement-breakpoint
CREATE INDEX "pooling_items_place_offer_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'place' and direction = 'offer';--> statement-breakpoint
CREATE INDEX "pooling_items_place_need_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'place' and direction = 'need';--> statement-breakpoint
CREATE INDEX "pooling_items_funding_offer_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'funding' and direction = 'offer';--> statement-breakpoint
CREATE INDEX "pooling_items_funding_need_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'funding' and direction = 'need';--> statement-breakpoint
CREATE INDEX "pooling_items_other_offer_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'other' and direction = 'offer';--> statement-breakpoint
CREATE INDEX "pooling_items_other_need_trgm_idx" ON "initiative_pooling_items" USING gist ("search_key" gist_trgm_ops) WHERE kind = 'other' and direction = 'need';--> statement-breakpoint
CREATE INDEX "initiatives_themes_idx" ON "initiatives" USING gin ("themes");--> statement-breakpoint
CREATE INDEX "initiatives_search_trgm_idx" ON "initiatives" USING gin ("search_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "initiatives_search_vector_idx" ON "initiatives" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "initiatives_published_idx" ON "initiatives" USING btree ("published_at") WHERE "initiatives"."status" = 'published';