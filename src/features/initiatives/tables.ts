import { sql } from "drizzle-orm";
import {
  check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.ts";
import { people } from "../accounts/tables.ts";
import { organisations } from "../directory/tables.ts";
import { territories } from "../territories/tables.ts";

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
  createdBy: uuid("created_by").references(() => people.id,
    { onDelete: "set null" }),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("initiatives_slug_key").on(t.slug),
  index("initiatives_status_idx").on(t.status),
  index("initiatives_scope_idx").using("gin", t.territoryScope),
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
