import type { Db } from "../../db/client.ts";
import { VersionedCache } from "../../db/versions.ts";
import type { Ctx } from "../../domain/context.ts";
import { findTerritoriesByIds } from "../territories/search.ts";
import { kindLabel, languageLabel } from "./labels.ts";
import { splitMarked, type Segment } from "./search-highlights.ts";
import { findMatches, MATCH_CAP, type FacetRow } from "./search-matches.ts";
import {
  FACET_NAMES, kindsOf, normaliseQuery, parseQuery, type FacetName,
  type HitSource, type LibraryQuery,
} from "./search-query.ts";

export interface LibraryHit {
  source: HitSource;
  id: string;
  slug: string;
  /** Path of its page, for the site or an API client. */
  path: string;
  title: Segment[];
  kind: string;
  kindLabel: string;
  year: number | null;
  language: string;
  publishedAt: Date;
  excerpt: Segment[];
  rank: number;
}

export interface FacetValue { value: string; label: string; count: number }

/** The most hits one page holds, whoever asks. */
export const MAX_PER_PAGE = 100;

export interface LibraryResult {
  /** The query as read (trimmed, cut). */
  q: string;
  /** "stopwords": the words were all too common to search by. */
  reading: "none" | "words" | "stopwords";
  hits: LibraryHit[];
  /** Exact up to `MATCH_CAP`; past it, the cap and `totalCapped`. */
  total: number;
  totalCapped: boolean;
  page: number;
  perPage: number;
  pageCount: number;
  facets: Record<FacetName, FacetValue[]>;
}

/**
 * One search over published documents and experience sheets: French
 * full text whatever the accents, case or inflection, with quoted
 * phrases and -exclusions; ranked title first, then summary, then the
 * start of the body; excerpts with the matched words marked; facets with
 * counts on the same filtered set (on the first matches past the cap).
 * An empty query lists the newest publications.
 */
export async function searchLibrary(
  ctx: Ctx, input: LibraryQuery = {},
): Promise<LibraryResult> {
  const q = normaliseQuery(input.q);
  const perPage = Math.min(Math.max(input.perPage ?? 20, 1), MAX_PER_PAGE);
  const page = Math.min(Math.max(Math.trunc(input.page ?? 1), 1), 500);
  // Everyone sees the same published texts, so a search asked again
  // (the popular words, the saved view, a page shared by link) is
  // answered from memory until the base changes.
  const key = JSON.stringify([q, kindsOf(input), input.theme, input.territory,
    input.year, input.organisation, input.language, input.source,
    input.view, page, perPage]);

  return resultCache.get(ctx.db, key, ctx.config.searchCacheSize,
    () => runSearch(ctx.db, input, q, page, perPage));
}

/** What a search reads: its texts, their organisations and territories. */
const resultCache = new VersionedCache<LibraryResult>([
  "documents", "document_organisations", "experience_sheets",
  "sheet_organisations", "organisations", "territories",
]);

async function runSearch(
  db: Db, input: LibraryQuery, q: string, page: number, perPage: number,
): Promise<LibraryResult> {
  const { reading, tsq } = await parseQuery(db, q);
  const found = await findMatches(db, input, tsq, page, perPage);
  const total = Math.min(found.total, MATCH_CAP);

  return {
    q, reading, total, totalCapped: found.total > MATCH_CAP, page, perPage,
    pageCount: Math.max(1, Math.ceil(total / perPage)),
    hits: found.hits.map((row) => ({
      source: row.source, id: row.id, slug: row.slug,
      path: row.source === "document" ? `/fonds/documents/${row.slug}`
        : `/fiches/${row.slug}`,
      title: splitMarked(row.title),
      kind: row.kind, kindLabel: kindLabel(row.kind),
      year: row.year === null ? null : Number(row.year),
      language: row.language,
      publishedAt: new Date(row.published_at),
      excerpt: splitMarked(row.excerpt ?? ""),
      rank: Number(row.rank),
    })),
    facets: await labelFacets(db, found.facets),
  };
}

async function labelFacets(
  db: Db, rows: FacetRow[],
): Promise<Record<FacetName, FacetValue[]>> {
  const facets = Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as
    unknown as Record<FacetName, FacetValue[]>;
  const territoryIds = rows.filter((r) => r.facet === "territory")
    .map((r) => r.value);
  const territories = new Map((await findTerritoriesByIds(db, territoryIds))
    .map((t) => [t.id, t.label]));
  for (const row of rows) {
    const label = row.facet === "kind" ? kindLabel(row.value)
      : row.facet === "language" ? languageLabel(row.value)
      : row.facet === "territory" ? territories.get(row.value) ?? row.value
      : row.value;
    facets[row.facet].push({ value: row.value, label, count: Number(row.n) });
  }
  facets.year.sort((a, b) => b.value.localeCompare(a.value));

  return facets;
}
