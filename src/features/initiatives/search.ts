import { sql, type SQL } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { initiativeFilters } from "./extensions.ts";
import {
  summaryColumns, toDates, type InitiativeSummary,
} from "./initiative-lists.ts";
import { idList } from "./sql.ts";

/**
 * Keeps the folded search key and the French full text in step with the
 * initiatives and their offers and needs. Called in the transaction of
 * every change to them, and in bulk by the benchmark's generator.
 */
export async function refreshInitiativeSearch(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db.execute(sql`
    update initiatives i set
      search_key = atelier_fold(i.title || ' ' || i.summary || ' '
        || i.description || ' ' || atelier_join(i.themes) || ' '
        || coalesce(p.texts, '')),
      search_vector =
        setweight(to_tsvector('french', atelier_fold(i.title)), 'A')
        || setweight(to_tsvector('french', atelier_fold(i.summary)), 'B')
        || setweight(to_tsvector('french', atelier_fold(i.description
          || ' ' || atelier_join(i.themes) || ' ' || coalesce(p.texts, ''))),
          'C')
    from (select target.id, (select string_agg(text, ' ' order by position)
        from initiative_pooling_items where initiative_id = target.id) texts
      from initiatives target
      where target.id = any(${idList(ids)}::uuid[])) p
    where i.id = p.id`);
}

export interface InitiativeFilters {
  q?: string;
  theme?: string;
  /** A territory id: initiatives there or in a territory it contains. */
  territory?: string;
  stage?: string;
  /** Kind of one of the carrying organisations. */
  carrierKind?: string;
  /** Values of the filters registered by other features, by param. */
  extra?: Record<string, string | undefined>;
  limit?: number;
  offset?: number;
}

/**
 * Published initiatives matching a search and filters. The search is
 * accent- and typo-tolerant: French full text on the folded words, or
 * trigram word similarity for a misspelt word; ranked by both.
 */
export async function findInitiatives(
  ctx: Ctx, filters: InitiativeFilters,
): Promise<{ items: InitiativeSummary[]; total: number }> {
  const where: SQL[] = [sql`i.status = 'published'`];
  const q = filters.q?.trim();
  let rank = sql``;
  if (q) {
    const folded = sql`atelier_fold(${q})`;
    const tsq = sql`websearch_to_tsquery('french', ${folded})`;
    where.push(sql`(i.search_vector @@ ${tsq} or ${folded} <% i.search_key)`);
    rank = sql`ts_rank_cd(i.search_vector, ${tsq})
      + word_similarity(${folded}, i.search_key) desc,`;
  }
  if (filters.theme) where.push(sql`i.themes @> array[${filters.theme}]`);
  if (filters.territory) {
    where.push(sql`i.territory_scope @> array[${filters.territory}]`);
  }
  if (filters.stage) where.push(sql`i.stage = ${filters.stage}`);
  if (filters.carrierKind) {
    where.push(sql`exists (select 1 from initiative_carriers c
      join organisations o on o.id = c.organisation_id
      where c.initiative_id = i.id and o.kind = ${filters.carrierKind})`);
  }
  for (const filter of initiativeFilters()) {
    const value = filters.extra?.[filter.param];
    if (value) where.push(filter.where(value));
  }
  const condition = sql.join(where, sql` and `);
  const limit = Math.min(filters.limit ?? 30, 100);

  const rows = await query<InitiativeSummary & { total: number }>(ctx.db,
    sql`select ${summaryColumns}, count(*) over ()::int as total
      from initiatives i where ${condition}
      order by ${rank} i.published_at desc nulls last, i.title
      limit ${limit} offset ${filters.offset ?? 0}`);

  return { items: rows.map(toDates), total: rows[0]?.total ?? 0 };
}

/** Themes in use by published initiatives, for the filter. */
export async function findInitiativeThemes(ctx: Ctx) {
  const rows = await query<{ theme: string }>(ctx.db, sql`select distinct
    unnest(themes) as theme from initiatives where status = 'published'
    order by 1`);

  return rows.map((r) => r.theme);
}
