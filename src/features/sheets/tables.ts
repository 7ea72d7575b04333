import { sql } from "drizzle-orm";
import {
  check, index, integer, jsonb, pgTable, primaryKey, text, timestamp,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.ts";
import { weightedFrenchVector } from "../../db/search.ts";
import { people } from "../accounts/tables.ts";
import { organisations } from "../directory/tables.ts";
import { tsvector } from "../documents/tables.ts";

/** A sheet is drafted, submitted by its facilitator, then published. */
export const SHEET_STATUSES = [
  "draft", "submitted", "published", "sent_back",
] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number];

export interface TrajectoryStep { date: string; text: string }

/**
 * An experience sheet, its sections following the mediation cycle. Each
 * section is Markdown; the descriptors say what the sheet attests.
 */
export const experienceSheets = pgTable("experience_sheets", {
  id: id(),
  slug: text("slug").notNull(),
  title: text("title").notNull(),
  summary: text("summary").notNull().default(""),
  context: text("context").notNull().default(""),
  actors: text("actors").notNull().default(""),
  trajectory: jsonb("trajectory").$type<TrajectoryStep[]>().notNull()
    .default(sql`'[]'::jsonb`),
  actions: text("actions").notNull().default(""),
  effects: text("effects").notNull().default(""),
  difficulties: text("difficulties").notNull().default(""),
  lessons: text("lessons").notNull().default(""),
  themes: text("themes").array().notNull().default(sql`'{}'`),
  competences: text("competences").array().notNull().default(sql`'{}'`),
  tools: text("tools").array().notNull().default(sql`'{}'`),
  methods: text("methods").array().notNull().default(sql`'{}'`),
  territoryScope: text("territory_scope").array().notNull()
    .default(sql`'{}'`),
  facilitatorId: uuid("facilitator_id").references(() => people.id,
    { onDelete: "set null" }),
  status: text("status", { enum: SHEET_STATUSES }).notNull()
    .default("draft"),
  publishedAt: timestamp("published_at", { withTimezone: true }),
  /** Everything a search reads, kept by the use cases that edit sections. */
  bodyText: text("body_text").notNull().default(""),
  searchVector: tsvector("search_vector").notNull().generatedAlwaysAs(
    weightedFrenchVector("title", "summary", "body_text")),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("experience_sheets_slug_key").on(t.slug),
  index("experience_sheets_search_idx").using("gin", t.searchVector),
  index("experience_sheets_status_idx").on(t.status, t.publishedAt),
  check("experience_sheets_status_check", sql`${t.status} in
    ('draft', 'submitted', 'published', 'sent_back')`),
]);

/** The allies who wrote the sheet. */
export const sheetAuthors = pgTable("sheet_authors", {
  sheetId: uuid("sheet_id").notNull()
    .references(() => experienceSheets.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
}, (t) => [
  primaryKey({ columns: [t.sheetId, t.personId] }),
  index("sheet_authors_person_idx").on(t.personId),
]);

/** Organisations on whose behalf the authors wrote it. */
export const sheetOrganisations = pgTable("sheet_organisations", {
  sheetId: uuid("sheet_id").notNull()
    .references(() => experienceSheets.id, { onDelete: "cascade" }),
  organisationId: uuid("organisation_id").notNull()
    .references(() => organisations.id, { onDelete: "cascade" }),
}, (t) => [
  primaryKey({ columns: [t.sheetId, t.organisationId] }),
  index("sheet_organisations_organisation_idx").on(t.organisationId),
]);
