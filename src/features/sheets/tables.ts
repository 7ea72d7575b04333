import { sql } from "drizzle-orm";
import {
  boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.ts";
import { weightedFrenchVector } from "../../db/search.ts";
import { people } from "../accounts/tables.ts";
import { events, occurrences } from "../agenda/tables.ts";
import { organisations } from "../directory/tables.ts";
import { tsvector } from "../documents/tables.ts";
import { initiatives } from "../initiatives/tables.ts";

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
  /** The territories the authors named, in their order. */
  territoryIds: text("territory_ids").array().notNull().default(sql`'{}'`),
  /** Those territories and all that contain them, for search facets. */
  territoryScope: text("territory_scope").array().notNull()
    .default(sql`'{}'`),
  facilitatorId: uuid("facilitator_id").references(() => people.id,
    { onDelete: "set null" }),
  status: text("status", { enum: SHEET_STATUSES }).notNull()
    .default("draft"),
  publishedAt: timestamp("published_at", { withTimezone: true }),
  /** Staff's remarks when they last sent the sheet back. */
  reviewRemarks: text("review_remarks").notNull().default(""),
  createdBy: uuid("created_by").references(() => people.id,
    { onDelete: "set null" }),
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
  // A published sheet says when: its citation line and feeds need it.
  check("experience_sheets_published_at_check", sql`${t.status}
    <> 'published' or ${t.publishedAt} is not null`),
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

/**
 * What a sheet said at each publication, and after each edit of a
 * published sheet: the full text, so any two versions can be compared
 * even after the sheet or its authors changed.
 */
export const sheetVersions = pgTable("sheet_versions", {
  id: id(),
  sheetId: uuid("sheet_id").notNull()
    .references(() => experienceSheets.id, { onDelete: "cascade" }),
  number: integer("number").notNull(),
  /** "published" or "edited": why this version exists. */
  reason: text("reason", { enum: ["published", "edited"] }).notNull(),
  snapshot: jsonb("snapshot").$type<SheetSnapshot>().notNull(),
  /** Copied by name too: the history outlives the people it names. */
  changedBy: uuid("changed_by").references(() => people.id,
    { onDelete: "set null" }),
  changedByName: text("changed_by_name").notNull(),
  createdAt: createdAt(),
}, (t) => [
  // Numbers are given in order; two staff publishing at once cannot both
  // write version 3.
  uniqueIndex("sheet_versions_number_key").on(t.sheetId, t.number),
  check("sheet_versions_reason_check",
    sql`${t.reason} in ('published', 'edited')`),
  check("sheet_versions_number_check", sql`${t.number} >= 1`),
]);

/** What the sheet says, as the search and the history read it. */
export interface SheetText {
  context: string;
  actors: string;
  trajectory: TrajectoryStep[];
  actions: string;
  effects: string;
  difficulties: string;
  lessons: string;
  themes: string[];
  competences: string[];
  tools: string[];
  methods: string[];
}

/** The text of a sheet as it reads, frozen in a version. */
export interface SheetSnapshot extends SheetText {
  title: string;
  summary: string;
  territories: string[];
  authors: string[];
  organisations: string[];
  facilitator: string;
}

/** The sections a comment may be attached to. */
export const SHEET_SECTIONS = [
  "summary", "context", "actors", "trajectory", "actions", "effects",
  "difficulties", "lessons", "descriptors",
] as const;
export type SheetSection = (typeof SHEET_SECTIONS)[number];

/** Remarks the writers leave each other on one section of a draft. */
export const sheetComments = pgTable("sheet_comments", {
  id: id(),
  sheetId: uuid("sheet_id").notNull()
    .references(() => experienceSheets.id, { onDelete: "cascade" }),
  section: text("section", { enum: SHEET_SECTIONS }).notNull(),
  authorId: uuid("author_id").references(() => people.id,
    { onDelete: "set null" }),
  authorName: text("author_name").notNull(),
  body: text("body").notNull(),
  createdAt: createdAt(),
}, (t) => [
  index("sheet_comments_sheet_idx").on(t.sheetId, t.createdAt),
  check("sheet_comments_section_check", sql`${t.section} in ('summary',
    'context', 'actors', 'trajectory', 'actions', 'effects',
    'difficulties', 'lessons', 'descriptors')`),
  check("sheet_comments_body_check", sql`length(${t.body}) between 1
    and 5000`),
]);

export const ATTACHMENT_TYPES = [
  "application/pdf", "image/png", "image/jpeg", "image/webp",
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** A PDF or an image joined to a sheet, stored in the uploads folder. */
export const sheetAttachments = pgTable("sheet_attachments", {
  id: id(),
  sheetId: uuid("sheet_id").notNull()
    .references(() => experienceSheets.id, { onDelete: "cascade" }),
  /** Random name in the uploads folder, never a name a user chose. */
  storedName: text("stored_name").notNull(),
  /** The name the file had on the uploader's computer, for display. */
  originalName: text("original_name").notNull(),
  /** The type read from the file's first bytes, not the one declared. */
  contentType: text("content_type", { enum: ATTACHMENT_TYPES }).notNull(),
  size: integer("size").notNull(),
  uploadedBy: uuid("uploaded_by").references(() => people.id,
    { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("sheet_attachments_stored_name_key").on(t.storedName),
  index("sheet_attachments_sheet_idx").on(t.sheetId),
  // Only types the site serves safely; anything else never gets a row.
  check("sheet_attachments_type_check", sql`${t.contentType} in
    ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')`),
  check("sheet_attachments_size_check",
    sql`${t.size} > 0 and ${t.size} <= 10485760`),
]);

/** The initiatives a sheet comes from. */
export const sheetInitiatives = pgTable("sheet_initiatives", {
  sheetId: uuid("sheet_id").notNull()
    .references(() => experienceSheets.id, { onDelete: "cascade" }),
  initiativeId: uuid("initiative_id").notNull()
    .references(() => initiatives.id, { onDelete: "cascade" }),
}, (t) => [
  primaryKey({ columns: [t.sheetId, t.initiativeId] }),
  index("sheet_initiatives_initiative_idx").on(t.initiativeId),
]);

/** The events of the agenda a sheet comes from. */
export const sheetEvents = pgTable("sheet_events", {
  sheetId: uuid("sheet_id").notNull()
    .references(() => experienceSheets.id, { onDelete: "cascade" }),
  eventId: uuid("event_id").notNull()
    .references(() => events.id, { onDelete: "cascade" }),
}, (t) => [
  primaryKey({ columns: [t.sheetId, t.eventId] }),
  index("sheet_events_event_idx").on(t.eventId),
]);

/** What a facilitator says of their availability to co-write sheets. */
export const facilitatorAvailability = pgTable("facilitator_availability", {
  personId: uuid("person_id").primaryKey()
    .references(() => people.id, { onDelete: "cascade" }),
  available: boolean("available").notNull().default(true),
  themes: text("themes").array().notNull().default(sql`'{}'`),
  languages: text("languages").array().notNull().default(sql`'{}'`),
  updatedAt: updatedAt(),
});

/** An ally asks to be trained in the mediation cycle. */
export const trainingRequests = pgTable("training_requests", {
  id: id(),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  message: text("message").notNull().default(""),
  createdAt: createdAt(),
  /** Set once the person has been trained, or staff closed the request. */
  closedAt: timestamp("closed_at", { withTimezone: true }),
}, (t) => [
  // One open request per person: asking twice changes nothing.
  uniqueIndex("training_requests_open_key").on(t.personId)
    .where(sql`${t.closedAt} is null`),
]);

/**
 * Who completed a training, as staff recorded it from the attendance of
 * one of its dates. No foreign key to the attendance row itself: staff
 * may correct an attendance sheet later (it is rewritten as a whole), and
 * a completed training must not vanish with it.
 */
export const trainingCompletions = pgTable("training_completions", {
  occurrenceId: uuid("occurrence_id").notNull()
    .references(() => occurrences.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  recordedBy: uuid("recorded_by").references(() => people.id,
    { onDelete: "set null" }),
  recordedAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.occurrenceId, t.personId] }),
  index("training_completions_person_idx").on(t.personId),
]);
