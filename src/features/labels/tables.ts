import { sql } from "drizzle-orm";
import {
  check, date, index, integer, jsonb, pgTable, primaryKey, text,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt, instant } from "../../db/columns.ts";
import { people } from "../accounts/tables.ts";
import { occurrences } from "../agenda/tables.ts";
import { ballots } from "../ballots/tables.ts";
import { initiatives } from "../initiatives/tables.ts";


/** A label the alliance grants, with the criteria staff read against. */
export const labels = pgTable("labels", {
  id: id(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  /** The charter's objectives and disciplines, in the order shown. */
  criteria: text("criteria").array().notNull().default(sql`'{}'`),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("labels_slug_key").on(t.slug),
  uniqueIndex("labels_name_key").on(sql`lower(${t.name})`),
]);

/**
 * Allies named by staff for a period to vote on label proposals, with the
 * rules their ballots follow.
 */
export const labellingCollectives = pgTable("labelling_collectives", {
  id: id(),
  name: text("name").notNull(),
  startsOn: date("starts_on").notNull(),
  endsOn: date("ends_on").notNull(),
  quorumKind: text("quorum_kind", { enum: ["share", "count"] }).notNull(),
  quorumValue: integer("quorum_value").notNull(),
  majority: text("majority", { enum: ["simple", "two_thirds"] }).notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  check("labelling_collectives_period_check",
    sql`${t.startsOn} <= ${t.endsOn}`),
  check("labelling_collectives_quorum_check", sql`
    (${t.quorumKind} = 'share' and ${t.quorumValue} between 1 and 100)
    or (${t.quorumKind} = 'count' and ${t.quorumValue} >= 1)`),
  check("labelling_collectives_majority_check",
    sql`${t.majority} in ('simple', 'two_thirds')`),
]);

/**
 * A member of a collective. Leaving keeps the row (removedAt), so that the
 * votes a member cast stay attributed to someone who was a member then.
 */
export const labellingCollectiveMembers = pgTable(
  "labelling_collective_members", {
    collectiveId: uuid("collective_id").notNull()
      .references(() => labellingCollectives.id, { onDelete: "cascade" }),
    personId: uuid("person_id").notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    addedAt: createdAt(),
    removedAt: instant("removed_at"),
  }, (t) => [
    primaryKey({ columns: [t.collectiveId, t.personId] }),
    index("labelling_collective_members_person_idx").on(t.personId),
  ],
);

/** Staff's reading of an initiative against one criterion of the label. */
export interface CriterionReading { criterion: string; reading: string }

export const PROPOSAL_STATUSES = ["open", "granted", "refused"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/**
 * Staff propose an initiative for a label; the collective decides by a
 * ballot. Criteria are copied with the readings so that an old proposal
 * still reads right after the label's criteria change.
 */
export const labelProposals = pgTable("label_proposals", {
  id: id(),
  labelId: uuid("label_id").notNull().references(() => labels.id),
  initiativeId: uuid("initiative_id").notNull()
    .references(() => initiatives.id, { onDelete: "cascade" }),
  collectiveId: uuid("collective_id").notNull()
    .references(() => labellingCollectives.id),
  ballotId: uuid("ballot_id").notNull().references(() => ballots.id),
  /** The labelling session of the agenda where it is examined, if any. */
  occurrenceId: uuid("occurrence_id").references(() => occurrences.id,
    { onDelete: "set null" }),
  readings: jsonb("readings").$type<CriterionReading[]>().notNull(),
  status: text("status", { enum: PROPOSAL_STATUSES }).notNull()
    .default("open"),
  /** Staff's reasons for the decision, written after the closing. */
  reasons: text("reasons").notNull().default(""),
  decidedAt: instant("decided_at"),
  proposedBy: uuid("proposed_by").references(() => people.id,
    { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("label_proposals_ballot_key").on(t.ballotId),
  // One proposal under way per initiative and label: a second one would
  // open a rival ballot on the same question.
  uniqueIndex("label_proposals_open_key").on(t.labelId, t.initiativeId)
    .where(sql`${t.status} = 'open'`),
  index("label_proposals_initiative_idx").on(t.initiativeId),
  check("label_proposals_status_check",
    sql`${t.status} in ('open', 'granted', 'refused')`),
  check("label_proposals_decided_check",
    sql`(${t.status} = 'open') = (${t.decidedAt} is null)`),
]);

/**
 * A label held by an initiative. Withdrawal fills in the withdrawal columns
 * and keeps the row: the public register shows the whole history.
 */
export const labelGrants = pgTable("label_grants", {
  id: id(),
  labelId: uuid("label_id").notNull().references(() => labels.id),
  initiativeId: uuid("initiative_id").notNull()
    .references(() => initiatives.id, { onDelete: "cascade" }),
  proposalId: uuid("proposal_id").notNull()
    .references(() => labelProposals.id),
  grantedAt: instant("granted_at").notNull(),
  withdrawnAt: instant("withdrawn_at"),
  withdrawalReason: text("withdrawal_reason"),
  withdrawnBy: uuid("withdrawn_by").references(() => people.id,
    { onDelete: "set null" }),
}, (t) => [
  uniqueIndex("label_grants_proposal_key").on(t.proposalId),
  // An initiative holds a label at most once at a time.
  uniqueIndex("label_grants_current_key").on(t.labelId, t.initiativeId)
    .where(sql`${t.withdrawnAt} is null`),
  index("label_grants_initiative_idx").on(t.initiativeId),
  // A withdrawal always says why.
  check("label_grants_withdrawal_check", sql`(${t.withdrawnAt} is null
    and ${t.withdrawalReason} is null) or (${t.withdrawnAt} is not null
    and length(trim(${t.withdrawalReason})) > 0)`),
]);
