import { sql } from "drizzle-orm";
import {
  check, customType, index, integer, pgTable, primaryKey, text, timestamp,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.ts";
import { weightedFrenchVector } from "../../db/search.ts";
import { people } from "../accounts/tables.ts";
import { organisations } from "../directory/tables.ts";
import { territories } from "../territories/tables.ts";

export const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});

export const DOCUMENT_KINDS = [
  "charter", "statutes", "strategy", "framework", "study", "key_text",
  "finding", "proposals", "review", "teaching_tool", "other",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * Allies deposit; staff validate before anything is published, and may
 * later withdraw a published document (kept, no longer shown).
 */
export const DOCUMENT_STATUSES = [
  "submitted", "published", "refused", "withdrawn",
] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Whether the text of an uploaded file could be read for search. */
export const TEXT_STATUSES = ["none", "extracted", "not_extracted"] as const;

export const documents = pgTable("documents", {
  id: id(),
  slug: text("slug").notNull(),
  title: text("title").notNull(),
  kind: text("kind", { enum: DOCUMENT_KINDS }).notNull(),
  /** Authors as written on the document (people or bodies). */
  authors: text("authors").notNull().default(""),
  year: integer("year"),
  language: text("language").notNull().default("fr"),
  summary: text("summary").notNull().default(""),
  /** Text extracted from the file, or written in Markdown. */
  body: text("body").notNull().default(""),
  themes: text("themes").array().notNull().default(sql`'{}'`),
  territoryScope: text("territory_scope").array().notNull()
    .default(sql`'{}'`),
  /** A resource on another site, instead of or beside a file. */
  sourceUrl: text("source_url"),
  /** Random name of the stored file in the uploads folder. */
  fileName: text("file_name"),
  fileOriginalName: text("file_original_name"),
  fileContentType: text("file_content_type"),
  fileSize: integer("file_size"),
  textStatus: text("text_status", { enum: TEXT_STATUSES }).notNull()
    .default("none"),
  status: text("status", { enum: DOCUMENT_STATUSES }).notNull()
    .default("submitted"),
  depositedBy: uuid("deposited_by").references(() => people.id,
    { onDelete: "set null" }),
  publishedAt: timestamp("published_at", { withTimezone: true }),
  /** Staff's word to the depositor when they refuse the document. */
  reviewNote: text("review_note").notNull().default(""),
  searchVector: tsvector("search_vector").notNull().generatedAlwaysAs(
    weightedFrenchVector("title", "summary", "body")),
  /**
   * Title and summary only: a word found there makes a document a
   * candidate whatever its rank in a long list of matches.
   */
  headVector: tsvector("head_vector").notNull().generatedAlwaysAs(
    weightedFrenchVector("title", "summary")),
  /**
   * What ranking reads: title, summary and the start of the body. Small,
   * so ranking a thousand candidates does not read whole texts; matching
   * stays on `search_vector`.
   */
  rankVector: tsvector("rank_vector").notNull().generatedAlwaysAs(
    weightedFrenchVector("title", "summary", "left(body, 1500)")),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("documents_slug_key").on(t.slug),
  index("documents_search_idx").using("gin", t.searchVector),
  index("documents_head_idx").using("gin", t.headVector),
  index("documents_status_idx").on(t.status, t.publishedAt),
  // A published document can always be found again: it has a file, a link
  // or at least a summary to show.
  check("documents_published_content_check", sql`${t.status} <> 'published'
    or ${t.fileName} is not null or ${t.sourceUrl} is not null
    or ${t.summary} <> ''`),
  check("documents_kind_check", sql`${t.kind} in ('charter', 'statutes',
    'strategy', 'framework', 'study', 'key_text', 'finding', 'proposals',
    'review', 'teaching_tool', 'other')`),
  check("documents_status_check",
    sql`${t.status} in ('submitted', 'published', 'refused', 'withdrawn')`),
  check("documents_text_status_check",
    sql`${t.textStatus} in ('none', 'extracted', 'not_extracted')`),
]);

/** Organisations that authored or carry a document. */
export const documentOrganisations = pgTable("document_organisations", {
  documentId: uuid("document_id").notNull()
    .references(() => documents.id, { onDelete: "cascade" }),
  organisationId: uuid("organisation_id").notNull()
    .references(() => organisations.id, { onDelete: "cascade" }),
}, (t) => [primaryKey({ columns: [t.documentId, t.organisationId] })]);

export const documentTerritories = pgTable("document_territories", {
  documentId: uuid("document_id").notNull()
    .references(() => documents.id, { onDelete: "cascade" }),
  territoryId: text("territory_id").notNull()
    .references(() => territories.id),
}, (t) => [primaryKey({ columns: [t.documentId, t.territoryId] })]);
