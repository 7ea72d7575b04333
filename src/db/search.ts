import { sql, type SQL } from "drizzle-orm";

/**
 * A weighted French text-search vector over unaccented text: title (A)
 * above summary (B) above body (C). Used by generated columns, so the
 * index is always in step with the row.
 */
export function weightedFrenchVector(
  title: string, summary: string, body?: string,
): SQL {
  const part = (expr: string, weight: string) => sql.raw(
    `setweight(to_tsvector('french', atelier_unaccent(coalesce(${expr}, ''))),`
    + ` '${weight}')`);
  if (body === undefined) return sql`${part(title, "A")} || ${part(summary, "B")}`;

  return sql`${part(title, "A")} || ${part(summary, "B")} || ${part(body, "C")}`;
}
