import { sql } from "drizzle-orm";
import {
  boolean, check, foreignKey, index, integer, pgTable, primaryKey, text,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "../../db/columns.ts";
import { people } from "../accounts/tables.ts";


/** What a ballot decides on; each kind knows its page and consequences. */
export const BALLOT_SUBJECT_KINDS = ["label_proposal", "doctrine"] as const;
export type BallotSubjectKind = (typeof BALLOT_SUBJECT_KINDS)[number];

/** Who may vote: the members of a collective, or every active ally. */
export const ELECTORATE_KINDS = ["collective", "all_allies"] as const;
export type ElectorateKind = (typeof ELECTORATE_KINDS)[number];

export const QUORUM_KINDS = ["share", "count"] as const;
export type QuorumKind = (typeof QUORUM_KINDS)[number];

export const MAJORITIES = ["simple", "two_thirds"] as const;
export type Majority = (typeof MAJORITIES)[number];

export const BALLOT_OUTCOMES = ["adopted", "rejected", "no_quorum"] as const;
export type BallotOutcome = (typeof BALLOT_OUTCOMES)[number];

export const VOTE_CHOICES = ["for", "against", "abstain"] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/**
 * One vote of an electorate on one question. Its rules (quorum, majority)
 * are copied from the electorate when it opens, so that a later change of
 * the collective never changes how a past ballot was counted. The figures
 * of the decision are written once, by the closing.
 */
export const ballots = pgTable("ballots", {
  id: id(),
  subjectKind: text("subject_kind", { enum: BALLOT_SUBJECT_KINDS }).notNull(),
  subjectId: uuid("subject_id").notNull(),
  question: text("question").notNull(),
  electorateKind: text("electorate_kind", { enum: ELECTORATE_KINDS })
    .notNull(),
  /** The collective, for a collective electorate. */
  electorateId: uuid("electorate_id"),
  /** How many could vote when the ballot opened: the quorum's base. */
  electorateSize: integer("electorate_size").notNull(),
  quorumKind: text("quorum_kind", { enum: QUORUM_KINDS }).notNull(),
  /** A percentage (1–100) for a share, a number of voters for a count. */
  quorumValue: integer("quorum_value").notNull(),
  majority: text("majority", { enum: MAJORITIES }).notNull(),
  opensAt: instant("opens_at").notNull(),
  closesAt: instant("closes_at").notNull(),
  status: text("status", { enum: ["open", "closed"] }).notNull()
    .default("open"),
  closedAt: instant("closed_at"),
  closedBy: uuid("closed_by").references(() => people.id,
    { onDelete: "set null" }),
  votesCast: integer("votes_cast"),
  forCount: integer("for_count"),
  againstCount: integer("against_count"),
  abstainCount: integer("abstain_count"),
  quorumReached: boolean("quorum_reached"),
  outcome: text("outcome", { enum: BALLOT_OUTCOMES }),
  createdAt: createdAt(),
}, (t) => [
  index("ballots_subject_idx").on(t.subjectKind, t.subjectId),
  // The closing job looks for open ballots past their end.
  index("ballots_open_closes_at_idx").on(t.closesAt)
    .where(sql`${t.status} = 'open'`),
  check("ballots_subject_kind_check",
    sql`${t.subjectKind} in ('label_proposal', 'doctrine')`),
  check("ballots_electorate_check", sql`
    (${t.electorateKind} = 'collective' and ${t.electorateId} is not null)
    or (${t.electorateKind} = 'all_allies' and ${t.electorateId} is null)`),
  // A ballot nobody can vote in, or whose quorum cannot be met, is refused.
  check("ballots_quorum_check", sql`${t.electorateSize} > 0 and (
    (${t.quorumKind} = 'share' and ${t.quorumValue} between 1 and 100)
    or (${t.quorumKind} = 'count' and ${t.quorumValue} between 1
        and ${t.electorateSize}))`),
  check("ballots_majority_check",
    sql`${t.majority} in ('simple', 'two_thirds')`),
  check("ballots_dates_check", sql`${t.closesAt} > ${t.opensAt}`),
  // A closed ballot carries all its figures; an open one none.
  check("ballots_status_check", sql`
    (${t.status} = 'open' and ${t.closedAt} is null and ${t.outcome} is null)
    or (${t.status} = 'closed' and ${t.closedAt} is not null
        and ${t.votesCast} is not null and ${t.forCount} is not null
        and ${t.againstCount} is not null and ${t.abstainCount} is not null
        and ${t.quorumReached} is not null and ${t.outcome} is not null)`),
  check("ballots_outcome_check", sql`${t.outcome} is null
    or ${t.outcome} in ('adopted', 'rejected', 'no_quorum')`),
]);

/**
 * The electorate of a ballot, frozen when it opens: the people who could
 * vote at that instant, counted in `electorateSize`. Someone who joins the
 * collective or the Alliance afterwards does not vote in it; the key of
 * `votes` on this table makes that a fact of the schema.
 */
export const ballotVoters = pgTable("ballot_voters", {
  ballotId: uuid("ballot_id").notNull()
    .references(() => ballots.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
}, (t) => [
  primaryKey({ name: "ballot_voters_pkey",
    columns: [t.ballotId, t.personId] }),
  index("ballot_voters_person_idx").on(t.personId),
]);

/**
 * The current vote of each voter, who belongs to the ballot's frozen
 * electorate. The unique index is what makes "one
 * current vote per member" true under concurrent requests: a second vote
 * is an upsert on it, never a second row.
 */
export const votes = pgTable("votes", {
  id: id(),
  ballotId: uuid("ballot_id").notNull()
    .references(() => ballots.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  choice: text("choice", { enum: VOTE_CHOICES }).notNull(),
  comment: text("comment").notNull().default(""),
  /** 1 for the first vote, then one more at each change. */
  revision: integer("revision").notNull().default(1),
  castAt: instant("cast_at").notNull(),
  updatedAt: instant("updated_at").notNull(),
}, (t) => [
  uniqueIndex("votes_ballot_person_key").on(t.ballotId, t.personId),
  foreignKey({ name: "votes_voter_fk", columns: [t.ballotId, t.personId],
    foreignColumns: [ballotVoters.ballotId, ballotVoters.personId] })
    .onDelete("cascade"),
  index("votes_person_idx").on(t.personId),
  check("votes_choice_check",
    sql`${t.choice} in ('for', 'against', 'abstain')`),
]);

/**
 * Every vote as it was cast, changes included, kept apart from the audit
 * trail because choices stay secret until the ballot closes.
 */
export const voteHistory = pgTable("vote_history", {
  id: id(),
  ballotId: uuid("ballot_id").notNull()
    .references(() => ballots.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  choice: text("choice", { enum: VOTE_CHOICES }).notNull(),
  comment: text("comment").notNull().default(""),
  revision: integer("revision").notNull(),
  at: instant("at").notNull(),
}, (t) => [
  uniqueIndex("vote_history_revision_key")
    .on(t.ballotId, t.personId, t.revision),
  check("vote_history_choice_check",
    sql`${t.choice} in ('for', 'against', 'abstain')`),
]);
