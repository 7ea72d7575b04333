import { sql, type SQL } from "drizzle-orm";
import type { PoolingKind } from "./tables.ts";

// The pieces of SQL that the suggestion queries for initiatives and for
// organisations share.

interface Match {
  mine: "offer" | "need";
  kind: PoolingKind;
  theirText: string;
  myText: string;
}

export interface SuggestionRow {
  id: string;
  slug: string;
  name: string;
  summary: string;
  themes: string[];
  closeness: number;
  matches: Match[];
  score: number;
  talkedAt: string | null;
}

/** What a suggestion query needs to know of the initiative itself. */
export interface Me { id: string; themes: string[]; scope: string[] }

/** The values as a SQL text array. */
export const textArray = (values: string[]) => values.length
  ? sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`
  : sql`'{}'::text[]`;

/**
 * How many of the initiative's themes a row shares, written out as one
 * containment test per theme: array operators only, no subquery per row.
 */
export function sharedCount(column: SQL, themes: string[]) {
  if (themes.length === 0) return sql`0`;

  return sql`(${sql.join(themes.map((t) =>
    sql`(${column} @> array[${t}]::text[])::int`), sql` + `)})`;
}

/** 4 same commune, 3 same EPCI, 2 same département, 1 same région. */
export function closeness(scope: SQL, mine: string[]) {
  const level = (prefix: string) =>
    textArray(mine.filter((id) => id.startsWith(prefix)));

  return sql`case when ${scope} && ${level("commune-")} then 4
    when ${scope} && ${level("epci-")} then 3
    when ${scope} && ${level("departement-")} then 2
    when ${scope} && ${level("region-")} then 1 else 0 end`;
}

/** Every pair of distinct values, each pair sorted. */
export function pairs(values: string[]): [string, string][] {
  const sorted = [...new Set(values)].sort();

  return sorted.flatMap((a, i) => sorted.slice(i + 1)
    .map((b): [string, string] => [a, b]));
}

// Candidates sharing two themes, at most, and neighbours sharing one, at
// most per level: the query stays bounded when thousands share a theme.
const THEME_CANDIDATES = 80;
const NEIGHBOUR_CANDIDATES = 30;

/**
 * Sharing a theme alone is worth suggesting in the same région, or with
 * two themes shared: this keeps the candidates few at scale. Each way of
 * qualifying is bounded on its own, the nearest levels first (same EPCI,
 * département, région), so that close neighbours are never crowded out
 * by distant ones; each is a containment the GIN indexes on themes and
 * territories answer.
 */
export function themeCandidates(
  table: "initiatives" | "organisations", me: Me, order: SQL,
) {
  const x = sql.raw(table);
  const where = table === "initiatives"
    ? sql`x.status = 'published' and x.id <> ${me.id} and ` : sql``;
  const levels = ["epci-", "departement-", "region-"]
    .map((prefix) => me.scope.filter((id) => id.startsWith(prefix)))
    .filter((ids) => ids.length > 0 && me.themes.length > 0)
    .map((ids) => [sql`x.territory_scope && ${textArray(ids)}
      and x.themes && ${textArray(me.themes)}`, NEIGHBOUR_CANDIDATES] as const);
  const twoShared = pairs(me.themes)
    .map((pair) => sql`x.themes @> ${textArray(pair)}`);
  const ways = twoShared.length
    ? [...levels, [sql`(${sql.join(twoShared, sql` or `)})`,
      THEME_CANDIDATES] as const] : levels;
  if (ways.length === 0) return sql`select null::uuid as id where false`;

  return sql.join(ways.map(([test, bound]) => sql`(select x.id
    from ${x} x where ${where}${test} ${order} limit ${bound})`),
  sql` union `);
}
