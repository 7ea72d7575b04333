import { sql } from "drizzle-orm";
import {
  check, date, index, integer, jsonb, pgTable, primaryKey, real, text,
  timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.ts";
import { customType } from "drizzle-orm/pg-core";
import { people } from "../accounts/tables.ts";
import { organisations } from "../directory/tables.ts";
import { territories } from "../territories/tables.ts";

const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});

export const INITIATIVE_STAGES = [
  "idea", "starting", "running", "finished",
] as const;
export type InitiativeStage = (typeof INITIATIVE_STAGES)[number];

/** draft → submitted → published (after moderation) → archived. */
export const INITIATIVE_STATUSES = [
  "draft", "submitted", "published", "archived",
] as const;
export type InitiativeStatus = (typeof INITIATIVE_STATUSES)[number];

export interface InitiativeLink { label: string; url: string }

export const initiatives = pgTable("initiatives", {
  id: id(),
  slug: text("slug").notNull(),
  title: text("title").notNull(),
  summary: text("summary").notNull().default(""),
  description: text("description").notNull().default(""),
  contactPersonId: uuid("contact_person_id")
    .references(() => people.id, { onDelete: "set null" }),
  themes: text("themes").array().notNull().default(sql`'{}'`),
  stage: text("stage", { enum: INITIATIVE_STAGES }).notNull().default("idea"),
  status: text("status", { enum: INITIATIVE_STATUSES }).notNull()
    .default("draft"),
  startsOn: date("starts_on"),
  endsOn: date("ends_on"),
  links: jsonb("links").$type<InitiativeLink[]>().notNull()
    .default(sql`'[]'::jsonb`),
  /** File name of the image in the uploads folder, never a user path. */
  imageFile: text("image_file"),
  imageContentType: text("image_content_type"),
  /** Territories worked in and all that contain them, as in the directory. */
  territoryScope: text("territory_scope").array().notNull()
    .default(sql`'{}'`),
  publishedAt: timestamp("published_at", { withTimezone: true }),
  /**
   * Everything a search by words looks at, folded: title, summary,
   * description, themes, offers and needs. Kept by the use cases in the
   * same transaction as any change to these (offers and needs live in
   * another table, so it cannot be a generated column).
   */
  searchKey: text("search_key").notNull().default(""),
  /** French full text of the same, weighted title > summary > the rest. */
  searchVector: tsvector("search_vector").notNull()
    .default(sql`''::tsvector`),
  createdBy: uuid("created_by").references(() => people.id,
    { onDelete: "set null" }),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("initiatives_slug_key").on(t.slug),
  index("initiatives_status_idx").on(t.status),
  index("initiatives_scope_idx").using("gin", t.territoryScope),
  index("initiatives_themes_idx").using("gin", t.themes),
  index("initiatives_search_trgm_idx")
    .using("gin", sql`${t.searchKey} gin_trgm_ops`),
  index("initiatives_search_vector_idx").using("gin", t.searchVector),
  index("initiatives_published_idx").on(t.publishedAt)
    .where(sql`${t.status} = 'published'`),
  check("initiatives_stage_check",
    sql`${t.stage} in ('idea', 'starting', 'running', 'finished')`),
  check("initiatives_status_check", sql`${t.status} in
    ('draft', 'submitted', 'published', 'archived')`),
  check("initiatives_dates_check", sql`${t.startsOn} is null
    or ${t.endsOn} is null or ${t.startsOn} <= ${t.endsOn}`),
]);

/** The organisations that carry an initiative (at least one). */
export const initiativeCarriers = pgTable("initiative_carriers", {
  initiativeId: uuid("initiative_id").notNull()
    .references(() => initiatives.id, { onDelete: "cascade" }),
  organisationId: uuid("organisation_id").notNull()
    .references(() => organisations.id, { onDelete: "cascade" }),
}, (t) => [
  primaryKey({ columns: [t.initiativeId, t.organisationId] }),
  index("initiative_carriers_organisation_idx").on(t.organisationId),
]);

export const initiativeTerritories = pgTable("initiative_territories", {
  initiativeId: uuid("initiative_id").notNull()
    .references(() => initiatives.id, { onDelete: "cascade" }),
  territoryId: text("territory_id").notNull()
    .references(() => territories.id),
}, (t) => [primaryKey({ columns: [t.initiativeId, t.territoryId] })]);

/**
 * What could be pooled: an offer (what the carriers can share) or a need
 * (what they look for). An offer meets a need through `searchKey` (the
 * nearest texts of the same kind by trigram distance, GiST indexes) and
 * `lexemes` (shared French word stems, to score them).
 */
export const POOLING_DIRECTIONS = ["offer", "need"] as const;
export type PoolingDirection = (typeof POOLING_DIRECTIONS)[number];

export const POOLING_KINDS = [
  "method", "tool", "training", "study", "staff_time", "place", "funding",
  "other",
] as const;
export type PoolingKind = (typeof POOLING_KINDS)[number];

export const poolingItems = pgTable("initiative_pooling_items", {
  id: id(),
  initiativeId: uuid("initiative_id").notNull()
    .references(() => initiatives.id, { onDelete: "cascade" }),
  direction: text("direction", { enum: POOLING_DIRECTIONS }).notNull(),
  kind: text("kind", { enum: POOLING_KINDS }).notNull(),
  text: text("text").notNull(),
  position: integer("position").notNull().default(0),
  searchKey: text("search_key").notNull()
    .generatedAlwaysAs(sql`atelier_fold(text)`),
  /** French stems of the text, for an offer and a need worded differently. */
  lexemes: text("lexemes").array().notNull().generatedAlwaysAs(sql`
    tsvector_to_array(to_tsvector('french'::regconfig, atelier_fold(text)))`),
}, (t) => [
  index("pooling_items_initiative_idx").on(t.initiativeId),
  index("pooling_items_kind_idx").on(t.kind, t.direction),
  // GiST, not GIN: it answers "the nearest texts" (ORDER BY <->). One per
  // kind and direction, so that the nearest offers of a kind to a need
  // are read directly, not found among every other text.
  ...POOLING_KINDS.flatMap((kind) => POOLING_DIRECTIONS.map((direction) =>
    index(`pooling_items_${kind}_${direction}_trgm_idx`)
      .using("gist", sql`${t.searchKey} gist_trgm_ops`)
      .where(sql.raw(`kind = '${kind}' and direction = '${direction}'`)))),
  check("pooling_items_direction_check",
    sql`${t.direction} in ('offer', 'need')`),
  check("pooling_items_kind_check", sql`${t.kind} in ('method', 'tool',
    'training', 'study', 'staff_time', 'place', 'funding', 'other')`),
  // A short text: a line, not a document.
  check("pooling_items_text_check",
    sql`length(${t.text}) between 1 and 300`),
]);

/**
 * Offers meeting needs, found when the items are written (nearest texts of
 * the same kind, scored) rather than when suggestions are read: reading is
 * then a few indexed lookups. Each item keeps at most its best few matches
 * of the time it was written; later items add theirs. Kept in the
 * transaction of every change to the items (`refreshPoolingMatches`), and
 * gone with either item.
 */
export const poolingMatches = pgTable("pooling_matches", {
  needItemId: uuid("need_item_id").notNull()
    .references(() => poolingItems.id, { onDelete: "cascade" }),
  offerItemId: uuid("offer_item_id").notNull()
    .references(() => poolingItems.id, { onDelete: "cascade" }),
  score: real("score").notNull(),
}, (t) => [
  primaryKey({ columns: [t.needItemId, t.offerItemId] }),
  index("pooling_matches_offer_idx").on(t.offerItemId),
  // Only matches above the threshold are kept: a score is a similarity.
  check("pooling_matches_score_check",
    sql`${t.score} > 0 and ${t.score} <= 1`),
]);

export const POOLING_DECISIONS = ["talk", "not_relevant"] as const;
export type PoolingDecision = (typeof POOLING_DECISIONS)[number];

/**
 * What someone decided about a suggestion made to an initiative: "let's
 * talk" (the other side is told) or "not relevant" (hidden for them). The
 * suggested side is an initiative or an organisation, exactly one.
 */
export const poolingDecisions = pgTable("pooling_decisions", {
  id: id(),
  initiativeId: uuid("initiative_id").notNull()
    .references(() => initiatives.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  targetInitiativeId: uuid("target_initiative_id")
    .references(() => initiatives.id, { onDelete: "cascade" }),
  targetOrganisationId: uuid("target_organisation_id")
    .references(() => organisations.id, { onDelete: "cascade" }),
  decision: text("decision", { enum: POOLING_DECISIONS }).notNull(),
  /** The reasons shown when the decision was taken, kept for staff. */
  reasons: text("reasons").array().notNull().default(sql`'{}'`),
  createdAt: createdAt(),
}, (t) => [
  check("pooling_decisions_target_check", sql`
    (${t.targetInitiativeId} is null) <> (${t.targetOrganisationId} is null)`),
  check("pooling_decisions_decision_check",
    sql`${t.decision} in ('talk', 'not_relevant')`),
  // One "let's talk" per initiative and suggestion: the other side is told
  // once, even when two carriers click at the same time.
  uniqueIndex("pooling_decisions_talk_key").on(t.initiativeId,
    sql`coalesce(${t.targetInitiativeId}, ${t.targetOrganisationId})`)
    .where(sql`${t.decision} = 'talk'`),
  // One "not relevant" per person and suggestion.
  uniqueIndex("pooling_decisions_hidden_key").on(t.initiativeId, t.personId,
    sql`coalesce(${t.targetInitiativeId}, ${t.targetOrganisationId})`)
    .where(sql`${t.decision} = 'not_relevant'`),
  index("pooling_decisions_target_initiative_idx").on(t.targetInitiativeId),
  index("pooling_decisions_target_organisation_idx")
    .on(t.targetOrganisationId),
]);

export const HISTORY_ACTIONS = [
  "created", "edited", "submitted", "published", "unpublished", "archived",
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/**
 * The publication log: every change of an initiative, who made it and in
 * which state it left it, so that edits of a published initiative that
 * stay published can be reviewed by staff afterwards.
 */
export const initiativeHistory = pgTable("initiative_history", {
  id: id(),
  initiativeId: uuid("initiative_id").notNull()
    .references(() => initiatives.id, { onDelete: "cascade" }),
  personId: uuid("person_id").references(() => people.id,
    { onDelete: "set null" }),
  action: text("action", { enum: HISTORY_ACTIONS }).notNull(),
  status: text("status", { enum: INITIATIVE_STATUSES }).notNull(),
  reason: text("reason").notNull().default(""),
  createdAt: createdAt(),
}, (t) => [
  index("initiative_history_initiative_idx").on(t.initiativeId, t.createdAt),
  check("initiative_history_action_check", sql`${t.action} in ('created',
    'edited', 'submitted', 'published', 'unpublished', 'archived')`),
]);
