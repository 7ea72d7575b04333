import { sql } from "drizzle-orm";
import {
  check, date, foreignKey, index, integer, pgTable, text,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt, instant } from "../../db/columns.ts";
import { people } from "../accounts/tables.ts";
import { ballots } from "../ballots/tables.ts";
import { documents } from "../documents/tables.ts";


/** The kinds of documents of the base that may become doctrine. */
export const DOCTRINE_KINDS = [
  "finding", "framework", "study", "key_text",
] as const;

/**
 * Where a text stands in its current round: proposed, debated, voted on,
 * then validated or rejected. A revision starts a new round on the same
 * text; the last validated version stays the doctrine meanwhile.
 */
export const DOCTRINE_STATUSES = [
  "proposed", "debate", "voting", "validated", "rejected",
] as const;
export type DoctrineStatus = (typeof DOCTRINE_STATUSES)[number];

/** A text of the base on its way to the doctrine, or part of it. */
export const doctrineTexts = pgTable("doctrine_texts", {
  id: id(),
  slug: text("slug").notNull(),
  documentId: uuid("document_id").notNull()
    .references(() => documents.id),
  status: text("status", { enum: DOCTRINE_STATUSES }).notNull()
    .default("proposed"),
  /** 1 for the first proposal, one more for each revision. */
  round: integer("round").notNull().default(1),
  /** Why the proposer wants the text in the doctrine (this round). */
  reason: text("reason").notNull(),
  proposedBy: uuid("proposed_by").references(() => people.id,
    { onDelete: "set null" }),
  debateOpenedAt: instant("debate_opened_at"),
  debateEndsAt: instant("debate_ends_at"),
  /** The ballot of this round and the version it was asked about. */
  ballotId: uuid("ballot_id").references(() => ballots.id),
  ballotVersion: integer("ballot_version"),
  /** The version the community validated last: the doctrine's text. */
  validatedVersion: integer("validated_version"),
  validatedAt: instant("validated_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("doctrine_texts_slug_key").on(t.slug),
  // A document goes to the doctrine once; revisions reuse its text.
  uniqueIndex("doctrine_texts_document_key").on(t.documentId),
  index("doctrine_texts_status_idx").on(t.status),
  check("doctrine_texts_status_check", sql`${t.status} in ('proposed',
    'debate', 'voting', 'validated', 'rejected')`),
  // A debate has its period; a vote has its ballot and version.
  check("doctrine_texts_debate_check", sql`${t.status} not in ('debate',
    'voting') or (${t.debateOpenedAt} is not null
    and ${t.debateEndsAt} > ${t.debateOpenedAt})`),
  check("doctrine_texts_voting_check", sql`${t.status} <> 'voting'
    or (${t.ballotId} is not null and ${t.ballotVersion} is not null)`),
  check("doctrine_texts_validated_check", sql`(${t.validatedVersion} is null)
    = (${t.validatedAt} is null) and (${t.status} <> 'validated'
    or ${t.validatedVersion} is not null)`),
]);

/**
 * Every version of a text, whole. Numbers follow each other per text; the
 * unique index is what keeps two accepted amendments at once from both
 * writing the same number.
 */
export const doctrineVersions = pgTable("doctrine_versions", {
  id: id(),
  textId: uuid("text_id").notNull()
    .references(() => doctrineTexts.id, { onDelete: "cascade" }),
  number: integer("number").notNull(),
  body: text("body").notNull(),
  authorId: uuid("author_id").references(() => people.id,
    { onDelete: "set null" }),
  /** Why the text changed: the amendment's reason, or the proposal's. */
  reason: text("reason").notNull().default(""),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("doctrine_versions_number_key").on(t.textId, t.number),
  check("doctrine_versions_number_check", sql`${t.number} >= 1`),
]);

/**
 * A comment of the debate, threaded. The parent must belong to the same
 * text: the composite key below makes that a fact of the schema. Threads
 * are at most MAX_COMMENT_DEPTH deep (see debate.ts).
 */
export const doctrineComments = pgTable("doctrine_comments", {
  id: id(),
  textId: uuid("text_id").notNull()
    .references(() => doctrineTexts.id, { onDelete: "cascade" }),
  round: integer("round").notNull(),
  parentId: uuid("parent_id"),
  authorId: uuid("author_id").references(() => people.id,
    { onDelete: "set null" }),
  body: text("body").notNull(),
  /**
   * Staff hid the comment (moderation): its body is no longer shown, its
   * place in the thread and the replies to it stay.
   */
  hiddenAt: instant("hidden_at"),
  hiddenBy: uuid("hidden_by").references(() => people.id,
    { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("doctrine_comments_text_id_key").on(t.textId, t.id),
  foreignKey({ name: "doctrine_comments_parent_fk",
    columns: [t.textId, t.parentId],
    foreignColumns: [t.textId, t.id] }).onDelete("cascade"),
  index("doctrine_comments_text_idx").on(t.textId, t.createdAt),
  check("doctrine_comments_body_check", sql`length(trim(${t.body})) > 0`),
  check("doctrine_comments_hidden_check",
    sql`${t.hiddenBy} is null or ${t.hiddenAt} is not null`),
]);

export const AMENDMENT_STATUSES = ["proposed", "accepted", "rejected"] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

/**
 * A proposed replacement of one passage of a text. Accepting it writes
 * the next version; the amendment keeps the number it produced.
 */
export const doctrineAmendments = pgTable("doctrine_amendments", {
  id: id(),
  textId: uuid("text_id").notNull()
    .references(() => doctrineTexts.id, { onDelete: "cascade" }),
  round: integer("round").notNull(),
  authorId: uuid("author_id").references(() => people.id,
    { onDelete: "set null" }),
  /** The version the author read when writing the amendment. */
  baseVersion: integer("base_version").notNull(),
  passage: text("passage").notNull(),
  replacement: text("replacement").notNull(),
  reason: text("reason").notNull(),
  status: text("status", { enum: AMENDMENT_STATUSES }).notNull()
    .default("proposed"),
  decidedBy: uuid("decided_by").references(() => people.id,
    { onDelete: "set null" }),
  decidedAt: instant("decided_at"),
  decisionNote: text("decision_note").notNull().default(""),
  resultingVersion: integer("resulting_version"),
  createdAt: createdAt(),
}, (t) => [
  index("doctrine_amendments_text_idx").on(t.textId, t.createdAt),
  check("doctrine_amendments_status_check",
    sql`${t.status} in ('proposed', 'accepted', 'rejected')`),
  check("doctrine_amendments_passage_check",
    sql`length(${t.passage}) > 0 and ${t.passage} <> ${t.replacement}`),
  // A decision is dated; only an accepted amendment produced a version.
  check("doctrine_amendments_decided_check", sql`
    (${t.status} = 'proposed') = (${t.decidedAt} is null)
    and (${t.status} = 'accepted') = (${t.resultingVersion} is not null)`),
]);

export const BRIEF_STATUSES = ["open", "assigned", "delivered"] as const;
export type BriefStatus = (typeof BRIEF_STATUSES)[number];

/**
 * A brief (cahier des charges) for a pedagogical or multimedia adaptation
 * of a validated text, then who makes it and what they delivered.
 */
export const doctrineBriefs = pgTable("doctrine_briefs", {
  id: id(),
  textId: uuid("text_id").notNull()
    .references(() => doctrineTexts.id, { onDelete: "cascade" }),
  audience: text("audience").notNull(),
  format: text("format").notNull(),
  themes: text("themes").array().notNull().default(sql`'{}'`),
  deadline: date("deadline").notNull(),
  description: text("description").notNull(),
  status: text("status", { enum: BRIEF_STATUSES }).notNull().default("open"),
  chosenPersonId: uuid("chosen_person_id").references(() => people.id,
    { onDelete: "set null" }),
  resultUrl: text("result_url"),
  resultFile: text("result_file"),
  resultDescription: text("result_description"),
  deliveredAt: instant("delivered_at"),
  createdBy: uuid("created_by").references(() => people.id,
    { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [
  index("doctrine_briefs_text_idx").on(t.textId),
  check("doctrine_briefs_status_check",
    sql`${t.status} in ('open', 'assigned', 'delivered')`),
  // Someone was chosen before anything was delivered.
  check("doctrine_briefs_chosen_check", sql`${t.status} = 'open'
    or ${t.chosenPersonId} is not null`),
  // A delivery points at something and says what it is.
  check("doctrine_briefs_delivered_check", sql`${t.status} <> 'delivered'
    or (${t.deliveredAt} is not null and (${t.resultUrl} is not null
    or ${t.resultFile} is not null) and ${t.resultDescription} is not null)`),
]);

/** An ally offers to make a brief's adaptation; once per brief. */
export const doctrineVolunteers = pgTable("doctrine_volunteers", {
  id: id(),
  briefId: uuid("brief_id").notNull()
    .references(() => doctrineBriefs.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  message: text("message").notNull(),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("doctrine_volunteers_brief_person_key")
    .on(t.briefId, t.personId),
]);
