CREATE TABLE "ballot_voters" (
	"ballot_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "ballot_voters_pkey" PRIMARY KEY("ballot_id","person_id")
);
--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD COLUMN "hidden_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD COLUMN "hidden_by" uuid;--> statement-breakpoint
ALTER TABLE "ballot_voters" ADD CONSTRAINT "ballot_voters_ballot_id_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."ballots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_voters" ADD CONSTRAINT "ballot_voters_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ballot_voters_person_idx" ON "ballot_voters" USING btree ("person_id");--> statement-breakpoint
-- Ballots opened before electorates were frozen: their electorate is who
-- voted in them, and, for those still open, everyone who may vote today
-- (who could vote at their opening is not known any more).
INSERT INTO "ballot_voters" ("ballot_id", "person_id")
SELECT DISTINCT "ballot_id", "person_id" FROM "votes";--> statement-breakpoint
INSERT INTO "ballot_voters" ("ballot_id", "person_id")
SELECT b."id", p."id" FROM "ballots" b
JOIN "people" p ON p."account_status" = 'active'
  AND ((b."electorate_kind" = 'all_allies' AND p."role" = 'ally')
    OR (b."electorate_kind" = 'collective' AND EXISTS (
      SELECT 1 FROM "labelling_collective_members" m
      WHERE m."collective_id" = b."electorate_id" AND m."person_id" = p."id"
        AND m."removed_at" IS NULL)))
WHERE b."status" = 'open'
ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_voter_fk" FOREIGN KEY ("ballot_id","person_id") REFERENCES "public"."ballot_voters"("ballot_id","person_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD CONSTRAINT "doctrine_comments_hidden_by_people_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doctrine_comments" ADD CONSTRAINT "doctrine_comments_hidden_check" CHECK ("doctrine_comments"."hidden_by" is null or "doctrine_comments"."hidden_at" is not null);