import { and, asc, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { VersionedCache } from "../../db/versions.ts";
import type { Ctx } from "../../domain/context.ts";
import { fold } from "../territories/search.ts";
import { presentOrganisation } from "./present.ts";
import { organisations } from "./tables.ts";

export interface OrganisationFilters {
  q?: string;
  theme?: string;
  skill?: string;
  kind?: string;
  /** A territory id: finds organisations working in it or inside it. */
  territory?: string;
  signatory?: boolean;
  page?: number;
  perPage?: number;
}

/**
 * Searches the directory. Words match names, towns, themes and skills
 * whatever their accents, case or hyphens, and small typos are forgiven
 * (trigram word similarity); matches on the name come first.
 */
export async function findOrganisations(
  ctx: Ctx, filters: OrganisationFilters = {},
) {
  const perPage = Math.min(Math.max(filters.perPage ?? 20, 1), 500);
  const page = Math.max(filters.page ?? 1, 1);
  const key = fold(filters.q ?? "");
  const where: SQL[] = [];
  const order: SQL[] = [];

  if (key) {
    const like = `%${key.replace(/[\\%_]/g, "\\$&")}%`;
    where.push(sql`(${organisations.searchKey} like ${like}
      or ${key} <% ${organisations.searchKey})`);
    // Names containing the words, then other exact matches, then typos by
    // closeness: similarity, costly, is computed for typos only.
    order.push(
      sql`${organisations.nameKey} like ${like} desc`,
      sql`case when ${organisations.searchKey} like ${like} then 1
        else word_similarity(${key}, ${organisations.searchKey}) end desc`);
  }
  if (filters.theme) {
    where.push(sql`${organisations.themes} @> array[${filters.theme}]::text[]`);
  }
  if (filters.skill) {
    where.push(sql`${organisations.skills} @> array[${filters.skill}]::text[]`);
  }
  if (filters.kind) where.push(eq(organisations.kind, filters.kind as any));
  if (filters.territory) {
    where.push(sql`${organisations.territoryScope}
      @> array[${filters.territory}]::text[]`);
  }
  if (filters.signatory !== undefined) {
    where.push(eq(organisations.charterSignatory, filters.signatory));
  }

  const { rows, total } = await ctx.db.transaction(async (tx) => {
    // The planner prices trigram index scans so high that on a few
    // thousand rows it prefers to compute word similarity on every row,
    // ten times slower. For a search by words, the index is always right.
    if (key) await tx.execute(sql`set local enable_seqscan = off`);
    const rows = await tx.select({
      ...getTableColumns(organisations),
      total: sql<number>`count(*) over ()`.mapWith(Number),
    }).from(organisations).where(and(...where))
      .orderBy(...order, asc(organisations.nameKey), asc(organisations.id))
      .limit(perPage).offset((page - 1) * perPage);
    const total = rows[0]?.total ?? (page > 1
      ? await countOrganisations(tx, where) : 0);

    return { rows, total };
  });

  return {
    items: rows.map((row) => presentOrganisation(ctx.actor, row)),
    total,
    page,
    perPage,
    pageCount: Math.max(1, Math.ceil(total / perPage)),
  };
}

async function countOrganisations(db: Db, where: SQL[]) {
  const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(organisations).where(and(...where));

  return row.n;
}

// Themes and skills offered as filters change only when an organisation
// does: the list is kept until then.
const facetCache = new VersionedCache<{ themes: string[]; skills: string[] }>(
  ["organisations"]);

/** The themes and skills in use, to offer as filters. */
export async function findDirectoryFacets(db: Db) {
  return facetCache.get(db, "facets", 1, async () => {
    const [facets] = await db.select({
      themes: sql<string[]>`coalesce((select array_agg(distinct t order by t)
        from organisations, unnest(themes) t), '{}')`,
      skills: sql<string[]>`coalesce((select array_agg(distinct s order by s)
        from organisations, unnest(skills) s), '{}')`,
    }).from(sql`(select 1) one`);

    return facets;
  });
}
