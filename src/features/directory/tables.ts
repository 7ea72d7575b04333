import { sql } from "drizzle-orm";
import {
  boolean, check, date, index, integer, pgTable, primaryKey, text, uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.ts";
import { people } from "../accounts/tables.ts";
import { territories } from "../territories/tables.ts";

export const ORGANISATION_KINDS = [
  "local_authority", "association", "company", "research", "consultancy",
  "public_body", "collective", "individual",
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const organisations = pgTable("organisations", {
  id: id(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ORGANISATION_KINDS }),
  description: text("description").notNull().default(""),
  themes: text("themes").array().notNull().default(sql`'{}'`),
  skills: text("skills").array().notNull().default(sql`'{}'`),
  website: text("website"),
  address: text("address"),
  postalCode: text("postal_code"),
  city: text("city"),
  communeId: text("commune_id").references(() => territories.id),
  charterSignatory: boolean("charter_signatory").notNull().default(false),
  charterSignedOn: date("charter_signed_on"),
  email: text("email"),
  phone: text("phone"),
  emailVisibility: text("email_visibility").notNull().default("allies"),
  phoneVisibility: text("phone_visibility").notNull().default("allies"),
  addressVisibility: text("address_visibility").notNull().default("public"),
  /** Internal remarks, seen by staff only (the spreadsheet's comment). */
  staffNotes: text("staff_notes").notNull().default(""),
  /**
   * Ids of every territory the organisation works in and of all the
   * territories that contain them, so that filtering by a département also
   * finds organisations working in its communes.
   */
  territoryScope: text("territory_scope").array().notNull()
    .default(sql`'{}'`),
  /** Name folded for duplicate detection and search. */
  nameKey: text("name_key").notNull()
    .generatedAlwaysAs(sql`atelier_fold(name)`),
  townKey: text("town_key").notNull()
    .generatedAlwaysAs(sql`atelier_fold(coalesce(city, ''))`),
  /** Everything a search by words looks at, folded. */
  searchKey: text("search_key").notNull().generatedAlwaysAs(sql`atelier_fold(
    name || ' ' || coalesce(city, '') || ' ' || atelier_join(themes)
    || ' ' || atelier_join(skills))`),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("organisations_slug_key").on(t.slug),
  // The same name in the same town is the same organisation: an import can
  // merge into it but never create it twice.
  uniqueIndex("organisations_name_town_key").on(t.nameKey, t.townKey),
  check("organisations_kind_check", sql`${t.kind} is null or ${t.kind} in
    ('local_authority', 'association', 'company', 'research', 'consultancy',
     'public_body', 'collective', 'individual')`),
  check("organisations_visibility_check", sql`
    ${t.emailVisibility} in ('public', 'allies', 'staff') and
    ${t.phoneVisibility} in ('public', 'allies', 'staff') and
    ${t.addressVisibility} in ('public', 'allies', 'staff')`),
  check("organisations_signed_on_check",
    sql`${t.charterSignedOn} is null or ${t.charterSignatory}`),
  index("organisations_search_trgm_idx")
    .using("gin", sql`${t.searchKey} gin_trgm_ops`),
  // French stems of the profile: organisations whose skills meet a need
  // of an initiative are found by its stems, one exact lookup each.
  index("organisations_lexemes_idx").using("gin", sql`tsvector_to_array(
    to_tsvector('french'::regconfig, ${t.searchKey}))`),
  index("organisations_scope_idx").using("gin", t.territoryScope),
  index("organisations_themes_idx").using("gin", t.themes),
]);

/** A person acts for an organisation, with a role ("chargée de mission"). */
export const memberships = pgTable("memberships", {
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  organisationId: uuid("organisation_id").notNull()
    .references(() => organisations.id, { onDelete: "cascade" }),
  role: text("role").notNull().default(""),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.personId, t.organisationId] }),
  index("memberships_organisation_idx").on(t.organisationId),
]);

/** Territories where an organisation works. */
export const organisationTerritories = pgTable("organisation_territories", {
  organisationId: uuid("organisation_id").notNull()
    .references(() => organisations.id, { onDelete: "cascade" }),
  territoryId: text("territory_id").notNull()
    .references(() => territories.id),
}, (t) => [primaryKey({ columns: [t.organisationId, t.territoryId] })]);
