import { sql, type SQL } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { VersionedCache } from "../../db/versions.ts";
import type { Ctx } from "../../domain/context.ts";
import { findTerritoriesByIds } from "../territories/search.ts";
import { kindLabel, languageLabel, SHEET_KIND } from "./labels.ts";
import { DOCUMENT_KINDS } from "./tables.ts";

/** Longest query read: longer ones are cut at a word, never refused. */
export const MAX_QUERY_CHARS = 200;

/** Where a hit comes from: the document base or the experience sheets. */
export type HitSource = "document" | "sheet";

export const FACET_NAMES = [
  "kind", "theme", "territory", "year", "organisation", "language",
] as const;
export type FacetName = (typeof FACET_NAMES)[number];

/** A saved search: a named page of the base with its filters set. */
export interface SavedView {
  slug: string;
  title: string;
  description: string;
  /** Kinds always in the view (sheets are `experience_sheet`). */
  kinds: string[];
  /** Any other document speaking of these is in the view too. */
  terms: string[];
}

export const SAVED_VIEWS: Record<string, SavedView> = {
  accompagnement: {
    slug: "accompagnement",
    title: "Accompagner les territoires : expériences, outils et méthodes "
      + "pédagogiques",
    description: "Les fiches d'expérience, les outils pédagogiques et les "
      + "référentiels, et tout document qui parle d'accompagnement, de "
      + "méthode, de formation ou de pédagogie.",
    kinds: [SHEET_KIND, "teaching_tool", "framework"],
    terms: ["accompagnement", "accompagner", "pédagogique", "pédagogie",
      "méthode", "outil", "formation", "médiation"],
  },
};

export interface LibraryQuery {
  q?: string;
  /** A document kind, or `experience_sheet`; several in a saved view. */
  kind?: string | string[];
  theme?: string;
  /** A territory id: finds what concerns it or a territory inside it. */
  territory?: string;
  year?: number;
  /** An organisation's name, as the facet gives it. */
  organisation?: string;
  language?: string;
  source?: "documents" | "sheets";
  view?: string;
  page?: number;
  perPage?: number;
}

/** A piece of an excerpt; marked pieces are the words that matched. */
export interface Segment { text: string; marked: boolean }

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

// Two control characters mark matched words in excerpts: they cannot come
// from the texts (removed below), so no text can forge a highlight.
const START = "\u0001";
const STOP = "\u0002";
const EXCERPT_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxFragments=2, `
  + `MaxWords=30, MinWords=12, FragmentDelimiter=" … "`;
const TITLE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;
/** Weights D, C, B, A: a word in the title counts most, then the summary. */
const WEIGHTS = "{0.05, 0.2, 0.5, 1.0}";
const FACET_SIZE = 20;

/** Trims a typed query to something sane to parse. */
export function normaliseQuery(q: string | undefined): string {
  const text = (q ?? "").replace(/[\u0000-\u001f\u007f]/g, " ")
    .replace(/\s+/g, " ").trim();
  if (text.length <= MAX_QUERY_CHARS) return text;
  const cut = text.slice(0, MAX_QUERY_CHARS);

  return cut.slice(0, Math.max(cut.lastIndexOf(" "), 1)).trim();
}

/** The tsquery of the words typed, or why there is none. */
async function parseQuery(db: Db, q: string) {
  if (!/[\p{L}\p{N}]/u.test(q)) return { reading: "none" as const, tsq: null };
  const [row] = await query<{ tsq: string; nodes: number }>(db, sql`
    select websearch_to_tsquery('french', atelier_unaccent(${q}))::text
      as tsq,
      numnode(websearch_to_tsquery('french', atelier_unaccent(${q})))
      as nodes`);
  if (!row || Number(row.nodes) === 0) {
    return { reading: "stopwords" as const, tsq: null };
  }

  return { reading: "words" as const, tsq: row.tsq };
}

const kindsOf = (input: LibraryQuery) =>
  (Array.isArray(input.kind) ? input.kind : input.kind ? [input.kind] : [])
    .filter((k) => k === SHEET_KIND
      || (DOCUMENT_KINDS as readonly string[]).includes(k));

/**
 * The conditions on one source's rows (alias `d` for documents, `s` for
 * sheets), or null when the filters leave that source out entirely.
 */
function conditions(
  source: HitSource, input: LibraryQuery, tsq: string | null,
): SQL | null {
  const docs = source === "document";
  const t = sql.raw(docs ? "d" : "s");
  if (input.source === "documents" && !docs) return null;
  if (input.source === "sheets" && docs) return null;
  // With words, the status is checked on the rows the text index gives:
  // through the status index the planner would unpack every row's whole
  // vector to match it.
  const where: SQL[] = [tsq ? sql`${t}.status || '' = 'published'`
    : sql`${t}.status = 'published'`];
  if (tsq) where.push(sql`${t}.search_vector @@ ${tsq}::tsquery`);

  const kinds = kindsOf(input);
  if (kinds.length > 0) {
    const docKinds = kinds.filter((k) => k !== SHEET_KIND);
    if (docs && docKinds.length === 0) return null;
    if (!docs && !kinds.includes(SHEET_KIND)) return null;
    if (docs) where.push(sql`d.kind in (${sql.join(docKinds.map(
      (k) => sql`${k}`), sql`, `)})`);
  }
  const view = input.view ? SAVED_VIEWS[input.view] : undefined;
  if (view) {
    const terms = sql`to_tsquery('french', atelier_unaccent(${
      view.terms.join(" | ")}))`;
    if (docs) {
      const viewKinds = view.kinds.filter((k) => k !== SHEET_KIND);
      where.push(sql`(d.kind in (${sql.join(viewKinds.map((k) => sql`${k}`),
        sql`, `)}) or d.search_vector @@ ${terms})`);
    } else if (!view.kinds.includes(SHEET_KIND)) {
      where.push(sql`s.search_vector @@ ${terms}`);
    }
  }
  if (input.theme) {
    where.push(sql`${t}.themes @> array[${input.theme}]::text[]`);
  }
  if (input.territory) {
    where.push(sql`${t}.territory_scope @> array[${input.territory}]::text[]`);
  }
  if (input.year) {
    where.push(docs ? sql`d.year = ${input.year}`
      : sql`extract(year from s.published_at at time zone 'Europe/Paris')
        = ${input.year}`);
  }
  if (input.language) {
    // Sheets are written in French.
    if (!docs && input.language !== "fr") return null;
    if (docs) where.push(sql`d.language = ${input.language}`);
  }
  if (input.organisation) {
    where.push(docs ? sql`(d.authors = ${input.organisation} or exists (
        select 1 from document_organisations x
        join organisations o on o.id = x.organisation_id
        where x.document_id = d.id and o.name = ${input.organisation}))`
      : sql`exists (select 1 from sheet_organisations x
        join organisations o on o.id = x.organisation_id
        where x.sheet_id = s.id and o.name = ${input.organisation})`);
  }

  return sql.join(where, sql` and `);
}

/**
 * Most matches read per source. Ranking, counting and facets stop there,
 * so a very common word costs what a rarer one does; beyond it the total
 * reads "plus de 1 000".
 */
export const MATCH_CAP = 1000;

/**
 * The candidates of both sources with the given columns, filters applied.
 * With words: every match in a title or summary (they rank first), then
 * matches anywhere, each up to the cap. Without: the newest.
 */
function candidates(
  input: LibraryQuery, tsq: string | null,
  columns: (source: HitSource) => SQL,
): SQL {
  const cap = MATCH_CAP + 1;
  const parts: SQL[] = [];
  const docs = conditions("document", input, tsq);
  const sheets = conditions("sheet", input, tsq);
  const docColumns = columns("document");
  if (docs && tsq) {
    // A title or summary match is a match of the whole text, unless the
    // query excludes a word the body may hold: then the body is checked.
    const head = tsq.includes("!")
      ? sql`${docs} and d.head_vector @@ ${tsq}::tsquery`
      : sql`${conditions("document", input, null)}
        and d.head_vector @@ ${tsq}::tsquery`;
    // Union: a match in both sets is counted once (same columns).
    parts.push(sql`select * from (
      (select ${docColumns} from documents d where ${head} limit ${cap})
      union (select ${docColumns} from documents d where ${docs}
        limit ${cap})) c`);
  } else if (docs) {
    parts.push(sql`(select ${docColumns} from documents d where ${docs}
      order by d.published_at desc, d.id limit ${cap})`);
  }
  if (sheets) {
    parts.push(sql`(select ${columns("sheet")} from experience_sheets s
      where ${sheets}
      ${tsq ? sql`` : sql`order by s.published_at desc, s.id`}
      limit ${cap})`);
  }
  if (parts.length === 0) {
    parts.push(sql`select ${docColumns} from documents d where false`);
  }

  return sql.join(parts, sql` union all `);
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
  const perPage = Math.min(Math.max(input.perPage ?? 20, 1), 100);
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

interface HitRow {
  source: HitSource; id: string; slug: string; title: string; kind: string;
  year: number | null; language: string; published_at: string | Date;
  excerpt: string | null; rank: number;
}

type FacetRow = { facet: FacetName; value: string; n: number };

/**
 * The page of hits, the facets and the count in one statement, so the
 * candidates are found once.
 */
async function findMatches(
  db: Db, input: LibraryQuery, tsq: string | null, page: number,
  perPage: number,
) {
  const rank = (source: HitSource) => !tsq ? sql`0::float4`
    : source === "document"
      ? sql`ts_rank_cd(${WEIGHTS}::float4[], d.rank_vector, ${tsq}::tsquery)`
      : sql`ts_rank_cd(${WEIGHTS}::float4[], s.search_vector,
        ${tsq}::tsquery)`;
  const union = candidates(input, tsq, (source) => source === "document"
    ? sql`'document'::text as source, d.id, d.published_at,
      ${rank(source)} as rank, d.kind::text as kind, d.year, d.language,
      d.themes, d.territory_scope, d.authors`
    : sql`'sheet'::text as source, s.id, s.published_at,
      ${rank(source)} as rank, ${SHEET_KIND}::text as kind,
      extract(year from s.published_at at time zone 'Europe/Paris')::int
        as year,
      'fr'::text as language, s.themes, s.territory_scope,
      ''::text as authors`);
  // Only the page's rows are cut into excerpts, and from the start of the
  // text when the words are there (what the ranking vector holds):
  // cutting a whole long text costs milliseconds a row.
  const clean = (text: SQL) => sql`translate(${text}, E'\\x01\\x02', '')`;
  const start = clean(sql`coalesce(d.summary, s.summary) || E'\\n'
    || left(coalesce(d.body, s.body_text), 1500)`);
  const whole = clean(sql`coalesce(d.summary, s.summary) || E'\\n'
    || left(coalesce(d.body, s.body_text), 60000)`);
  const title = clean(sql`coalesce(d.title, s.title)`);
  const excerpt = tsq ? sql`ts_headline('atelier_french',
      case when ts_filter(d.rank_vector, '{b,c}') @@ ${tsq}::tsquery
        then ${start} else ${whole} end,
      ${tsq}::tsquery, ${EXCERPT_OPTIONS})`
    : sql`left(${whole}, 300)`;
  const [row] = await withIndexes(db, (tx) => query<{
    total: number; hits: HitRow[] | null; facets: FacetRow[] | null;
  }>(tx, sql`
    with m as materialized (${union}),
    page as (
      select m.source, m.id, m.rank, m.published_at, m.kind, m.year,
        m.language from m
      order by m.rank desc, m.published_at desc, m.id
      limit ${perPage} offset ${(page - 1) * perPage}),
    hits as (
      select p.source, p.id, p.rank, p.published_at, p.kind, p.year,
        p.language, coalesce(d.slug, s.slug) as slug,
        ${tsq ? sql`ts_headline('atelier_french', ${title},
          ${tsq}::tsquery, ${TITLE_OPTIONS})` : title} as title,
        ${excerpt} as excerpt
      from page p
      left join documents d on p.source = 'document' and d.id = p.id
      left join experience_sheets s on p.source = 'sheet' and s.id = p.id),
    counts as (
      select 'kind' as facet, kind as value, count(*) as n from m group by kind
      union all select 'theme', t, count(*) from m, unnest(m.themes) t
        group by t
      union all select 'territory', t, count(*)
        from m, unnest(m.territory_scope) t group by t
      union all select 'year', year::text, count(*) from m
        where year is not null group by year
      union all select 'language', language, count(*) from m
        group by language
      union all select 'organisation', name, count(distinct (source, id))
      from (
        select m.source, m.id, o.name from m
          join document_organisations x
            on m.source = 'document' and x.document_id = m.id
          join organisations o on o.id = x.organisation_id
        union all select m.source, m.id, o.name from m
          join sheet_organisations x on m.source = 'sheet' and x.sheet_id = m.id
          join organisations o on o.id = x.organisation_id
        union all select m.source, m.id, m.authors from m
          where m.source = 'document' and m.authors <> ''
            and not exists (select 1 from document_organisations x
              where x.document_id = m.id)
      ) o group by name),
    facets as (
      select facet, value, n::int as n from (
        select c.*, row_number() over (partition by facet
          order by n desc, value) as r from counts c) ranked
      where r <= ${FACET_SIZE})
    select (select count(*) from m)::int as total,
      (select json_agg(h order by h.rank desc, h.published_at desc, h.id)
        from hits h) as hits,
      (select json_agg(f order by f.facet, f.n desc, f.value)
        from facets f) as facets`));
  const parse = <T>(v: T[] | string | null): T[] =>
    typeof v === "string" ? JSON.parse(v) : v ?? [];

  return { total: Number(row.total), hits: parse(row.hits),
    facets: parse(row.facets) };
}

/**
 * Runs a search statement with the text indexes forced. For a word in
 * nearly every document the planner reads the table in order and checks
 * each row's whole vector, unpacked from storage; the index answers a
 * plain word exactly, with no row to unpack.
 */
function withIndexes<T>(db: Db, run: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);

    return run(tx as unknown as Db);
  });
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

/** A marked text cut into plain and marked pieces. */
export function splitMarked(text: string): Segment[] {
  const segments: Segment[] = [];
  for (const [i, part] of text.split(new RegExp(`[${START}${STOP}]`))
    .entries()) {
    if (part) segments.push({ text: part, marked: i % 2 === 1 });
  }

  return segments;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;")
  .replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
  .replace(/'/g, "&#39;");

/** Pieces as HTML where `<mark>` is the only markup; the rest escaped. */
export function segmentsToHtml(segments: Segment[]): string {
  return segments.map((s) => s.marked ? `<mark>${escapeHtml(s.text)}</mark>`
    : escapeHtml(s.text)).join("");
}

/**
 * A whole text with every word of the query marked, for a document opened
 * from a search. Without searchable words, the text as it is.
 */
export async function highlightText(
  ctx: Ctx, text: string, q: string | undefined,
): Promise<Segment[]> {
  const { tsq } = await parseQuery(ctx.db, normaliseQuery(q));
  const clean = text.replace(/[\u0001\u0002]/g, "");
  if (!tsq || !clean) return clean ? [{ text: clean, marked: false }] : [];
  const [row] = await query<{ h: string }>(ctx.db, sql`
    select ts_headline('atelier_french', ${clean}, ${tsq}::tsquery,
      ${TITLE_OPTIONS}) as h`);

  return splitMarked(row.h);
}

export interface Publication {
  source: HitSource;
  slug: string;
  path: string;
  title: string;
  summary: string;
  kind: string;
  publishedAt: Date;
}

/** The newest published documents and sheets, for the feed. */
export async function findRecentPublications(
  ctx: Ctx, limit = 50,
): Promise<Publication[]> {
  const rows = await query<any>(ctx.db, sql`
    select * from (
      select 'document' as source, slug, title, summary, kind, published_at
      from documents where status = 'published'
      union all
      select 'sheet', slug, title, summary, ${SHEET_KIND}, published_at
      from experience_sheets where status = 'published') p
    where published_at is not null
    order by published_at desc, slug limit ${limit}`);

  return rows.map((r) => ({
    source: r.source, slug: r.slug, title: r.title, summary: r.summary,
    kind: r.kind, publishedAt: new Date(r.published_at),
    path: r.source === "document" ? `/fonds/documents/${r.slug}`
      : `/fiches/${r.slug}`,
  }));
}
