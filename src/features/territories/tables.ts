import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text } from "drizzle-orm/pg-core";

export const TERRITORY_KINDS = [
  "commune", "epci", "departement", "region",
] as const;
export type TerritoryKind = (typeof TERRITORY_KINDS)[number];

/**
 * Official French territories with their INSEE (or SIREN for EPCI) codes.
 * The id carries the kind ("departement-62", "region-32") because codes of
 * different kinds overlap: 32 is both the Gers and Hauts-de-France.
 */
export const territories = pgTable("territories", {
  id: text("id").primaryKey(),
  kind: text("kind", { enum: TERRITORY_KINDS }).notNull(),
  code: text("code").notNull(),
  name: text("name").notNull(),
  /** Name folded for search: no accents, case or punctuation. */
  nameKey: text("name_key").notNull()
    .generatedAlwaysAs(sql`atelier_fold(name)`),
  departementCode: text("departement_code"),
  regionCode: text("region_code"),
  epciCode: text("epci_code"),
  population: integer("population"),
  /** Ids of this territory and every territory that contains it. */
  ancestors: text("ancestors").array().notNull(),
}, (t) => [
  check("territories_kind_check",
    sql`${t.kind} in ('commune', 'epci', 'departement', 'region')`),
  index("territories_name_key_trgm_idx")
    .using("gin", sql`${t.nameKey} gin_trgm_ops`),
  index("territories_ancestors_idx").using("gin", t.ancestors),
]);

/** Version of reference data loaded from npm packages, to reload on upgrade. */
export const referenceData = pgTable("reference_data", {
  name: text("name").primaryKey(),
  version: text("version").notNull(),
});
