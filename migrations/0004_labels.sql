CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ballots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"question" text NOT NULL,
	"electorate_kind" text NOT NULL,
	"electorate_id" uuid,
	"electorate_size" integer NOT NULL,
	"quorum_kind" text NOT NULL,
	"quorum_value" integer NOT NULL,
	"majority" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"votes_cast" integer,
	"for_count" integer,
	"against_count" integer,
	"abstain_count" integer,
	"quorum_reached" boolean,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ballots_subject_kind_check" CHECK ("ballots"."subject_kind" in ('label_proposal')),
	CONSTRAINT "ballots_electorate_check" CHECK (
    ("ballots"."electorate_kind" = 'collective' and "ballots"."electorate_id" is not null)
    or ("ballots"."electorate_kind" = 'all_allies' and "ballots"."electorate_id" is null)),
	CONSTRAINT "ballots_quorum_check" CHECK ("ballots"."electorate_size" > 0 and (
    ("ballots"."quorum_kind" = 'share' and "ballots"."quorum_value" between 1 and 100)
    or ("ballots"."quorum_kind" = 'count' and "ballots"."quorum_value" between 1
        and "ballots"."electorate_size"))),
	CONSTRAINT "ballots_majority_check" CHECK ("ballots"."majority" in ('simple', 'two_thirds')),
	CONSTRAINT "ballots_dates_check" CHECK ("ballots"."closes_at" > "ballots"."opens_at"),
	CONSTRAINT "ballots_status_check" CHECK (
    ("ballots"."status" = 'open' and "ballots"."closed_at" is null and "ballots"."outcome" is null)
    or ("ballots"."status" = 'closed' and "ballots"."closed_at" is not null
        and "ballots"."votes_cast" is not null and "ballots"."for_count" is not null
        and "ballots"."against_count" is not null and "ballots"."abstain_count" is not null
        and "ballots"."quorum_reached" is not null and "ballots"."outcome" is not null)),
	CONSTRAINT "ballots_outcome_check" CHECK ("ballots"."outcome" is null
    or "ballots"."outcome" in ('adopted', 'rejected', 'no_quorum'))
);
--> statement-breakpoint
CREATE TABLE "vote_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ballot_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"choice" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"revision" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "vote_history_choice_check" CHECK ("vote_history"."choice" in ('for', 'against', 'abstain'))
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ballot_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"choice" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"cast_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "votes_choice_check" CHECK ("votes"."choice" in ('for', 'against', 'abstain'))
);
--> statement-breakpoint
CREATE TABLE "label_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"label_id" uuid NOT NULL,
	"initiative_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawal_reason" text,
	"withdrawn_by" uuid,
	CONSTRAINT "label_grants_withdrawal_check" CHECK (("label_grants"."withdrawn_at" is null
    and "label_grants"."withdrawal_reason" is null) or ("label_grants"."withdrawn_at" is not null
    and length(trim("label_grants"."withdrawal_reason")) > 0))
);
--> statement-breakpoint
CREATE TABLE "label_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"label_id" uuid NOT NULL,
	"initiative_id" uuid NOT NULL,
	"collective_id" uuid NOT NULL,
	"ballot_id" uuid NOT NULL,
	"occurrence_id" uuid,
	"readings" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reasons" text DEFAULT '' NOT NULL,
	"decided_at" timestamp with time zone,
	"proposed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "label_proposals_status_check" CHECK ("label_proposals"."status" in ('open', 'granted', 'refused')),
	CONSTRAINT "label_proposals_decided_check" CHECK (("label_proposals"."status" = 'open') = ("label_proposals"."decided_at" is null))
);
--> statement-breakpoint
CREATE TABLE "labelling_collective_members" (
	"collective_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "labelling_collective_members_collective_id_person_id_pk" PRIMARY KEY("collective_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "labelling_collectives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"quorum_kind" text NOT NULL,
	"quorum_value" integer NOT NULL,
	"majority" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "labelling_collectives_period_check" CHECK ("labelling_collectives"."starts_on" <= "labelling_collectives"."ends_on"),
	CONSTRAINT "labelling_collectives_quorum_check" CHECK (
    ("labelling_collectives"."quorum_kind" = 'share' and "labelling_collectives"."quorum_value" between 1 and 100)
    or ("labelling_collectives"."quorum_kind" = 'count' and "labelling_collectives"."quorum_value" >= 1)),
	CONSTRAINT "labelling_collectives_majority_check" CHECK ("labelling_collectives"."majority" in ('simple', 'two_thirds'))
);
--> statement-breakpoint
CREATE TABLE "labels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"criteria" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_closed_by_people_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_history" ADD CONSTRAINT "vote_history_ballot_id_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."ballots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_history" ADD CONSTRAINT "vote_history_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_ballot_id_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."ballots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_grants" ADD CONSTRAINT "label_grants_label_id_labels_id_fk" FOREIGN KEY ("label_id") REFERENCES "public"."labels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_grants" ADD CONSTRAINT "label_grants_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_grants" ADD CONSTRAINT "label_grants_proposal_id_label_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."label_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_grants" ADD CONSTRAINT "label_grants_withdrawn_by_people_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_proposals" ADD CONSTRAINT "label_proposals_label_id_labels_id_fk" FOREIGN KEY ("label_id") REFERENCES "public"."labels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_proposals" ADD CONSTRAINT "label_proposals_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_proposals" ADD CONSTRAINT "label_proposals_collective_id_labelling_collectives_id_fk" FOREIGN KEY ("collective_id") REFERENCES "public"."labelling_collectives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_proposals" ADD CONSTRAINT "label_proposals_ballot_id_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."ballots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_proposals" ADD CONSTRAINT "label_proposals_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_proposals" ADD CONSTRAINT "label_proposals_proposed_by_people_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labelling_collective_members" ADD CONSTRAINT "labelling_collective_members_collective_id_labelling_collectives_id_fk" FOREIGN KEY ("collective_id") REFERENCES "public"."labelling_collectives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labelling_collective_members" ADD CONSTRAINT "labelling_collective_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_kind","subject_id");--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "ballots_subject_idx" ON "ballots" USING btree ("subject_kind","subject_id");--> statement-breakpoint
CREATE INDEX "ballots_open_closes_at_idx" ON "ballots" USING btree ("closes_at") WHERE "ballots"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "vote_history_revision_key" ON "vote_history" USING btree ("ballot_id","person_id","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "votes_ballot_person_key" ON "votes" USING btree ("ballot_id","person_id");--> statement-breakpoint
CREATE INDEX "votes_person_idx" ON "votes" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "label_grants_proposal_key" ON "label_grants" USING btree ("proposal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "label_grants_current_key" ON "label_grants" USING btree ("label_id","initiative_id") WHERE "label_grants"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "label_grants_initiative_idx" ON "label_grants" USING btree ("initiative_id");--> statement-breakpoint
CREATE UNIQUE INDEX "label_proposals_ballot_key" ON "label_proposals" USING btree ("ballot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "label_proposals_open_key" ON "label_proposals" USING btree ("label_id","initiative_id") WHERE "label_proposals"."status" = 'open';--> statement-breakpoint
CREATE INDEX "label_proposals_initiative_idx" ON "label_proposals" USING btree ("initiative_id");--> statement-breakpoint
CREATE INDEX "labelling_collective_members_person_idx" ON "labelling_collective_members" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "labels_slug_key" ON "labels" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "labels_name_key" ON "labels" USING btree (lower("name"));