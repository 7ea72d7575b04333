import { sql, type SQL } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
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
  total: number;
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
  const where: SQL[] = [sql`${t}.status = 'published'`];
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

/** The union of both sources with the given columns, filters applied. */
function matched(
  input: LibraryQuery, tsq: string | null,
  columns: (source: HitSource) => SQL,
): SQL {
  const parts: SQL[] = [];
  const docs = conditions("document", input, tsq);
  const sheets = conditions("sheet", input, tsq);
  if (docs) {
    parts.push(sql`select ${columns("document")} from documents d
      where ${docs}`);
  }
  if (sheets) {
    parts.push(sql`select ${columns("sheet")} from experience_sheets s
      where ${sheets}`);
  }
  if (parts.length === 0) {
    parts.push(sql`select ${columns("document")} from documents d
      where false`);
  }

  return sql.join(parts, sql` union all `);
}

/**
 * One search over published documents and experience sheets: French
 * full text whatever the accents, case or inflection, with quoted
 * phrases and -exclusions; ranked title first, then summary, then body;
 * excerpts with the matched words marked; facets with counts on the same
 * filtered set. An empty query lists the newest publications.
 */
export async function searchLibrary(
  ctx: Ctx, input: LibraryQuery = {},
): Promise<LibraryResult> {
  const q = normaliseQuery(input.q);
  const perPage = Math.min(Math.max(input.perPage ?? 20, 1), 100);
  const page = Math.min(Math.max(Math.trunc(input.page ?? 1), 1), 500);
  const { reading, tsq } = await parseQuery(ctx.db, q);
  const [hits, facets] = await Promise.all([
    findHits(ctx.db, input, tsq, page, perPage),
    findFacets(ctx.db, input, tsq),
  ]);
  const total = hits[0]?.total ?? (page > 1
    ? await countHits(ctx.db, input, tsq) : 0);

  return {
    q, reading, total, page, perPage,
    pageCount: Math.max(1, Math.ceil(total / perPage)),
    hits: hits.map((row) => ({
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
    facets: await labelFacets(ctx.db, facets),
  };
}

interface HitRow {
  source: HitSource; id: string; slug: string; title: string; kind: string;
  year: number | null; language: string; published_at: string | Date;
  excerpt: string | null; rank: number; total: number;
}

async function findHits(
  db: Db, input: LibraryQuery, tsq: string | null, page: number,
  perPage: number,
) {
  const rank = (alias: string) => tsq
    ? sql`ts_rank_cd(${WEIGHTS}::float4[], ${sql.raw(alias)}.search_vector,
      ${tsq}::tsquery)` : sql`0::float4`;
  const union = matched(input, tsq, (source) => source === "document"
    ? sql`'document'::text as source, d.id, d.published_at,
      ${rank("d")} as rank`
    : sql`'sheet'::text as source, s.id, s.published_at,
      ${rank("s")} as rank`);
  // Only the page's rows are read in full and cut into excerpts.
  const text = sql`translate(coalesce(d.summary, s.summary) || E'\\n'
    || left(coalesce(d.body, s.body_text), 60000), E'\\x01\\x02', '')`;
  const title = sql`translate(coalesce(d.title, s.title), E'\\x01\\x02', '')`;
  const rows = await query<HitRow>(db, sql`
    with hits as (${union}),
    page as (
      select h.*, count(*) over () as total from hits h
      order by h.rank desc, h.published_at desc, h.id
      limit ${perPage} offset ${(page - 1) * perPage})
    select p.source, p.id, p.rank, p.total::int as total, p.published_at,
      coalesce(d.slug, s.slug) as slug,
      coalesce(d.kind, ${SHEET_KIND}) as kind,
      case when p.source = 'document' then d.year
        else extract(year from s.published_at
          at time zone 'Europe/Paris')::int end as year,
      coalesce(d.language, 'fr') as language,
      ${tsq ? sql`ts_headline('atelier_french', ${title}, ${tsq}::tsquery,
        ${TITLE_OPTIONS})` : title} as title,
      ${tsq ? sql`ts_headline('atelier_french', ${text}, ${tsq}::tsquery,
        ${EXCERPT_OPTIONS})`
        : sql`left(${text}, 300)`} as excerpt
    from page p
    left join documents d on p.source = 'document' and d.id = p.id
    left join experience_sheets s on p.source = 'sheet' and s.id = p.id
    order by p.rank desc, p.published_at desc, p.id`);

  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}

async function countHits(db: Db, input: LibraryQuery, tsq: string | null) {
  const union = matched(input, tsq, (source) =>
    source === "document" ? sql`d.id` : sql`s.id`);
  const [row] = await query<{ n: number }>(db,
    sql`select count(*)::int as n from (${union}) m`);

  return Number(row.n);
}

async function findFacets(db: Db, input: LibraryQuery, tsq: string | null) {
  const union = matched(input, tsq, (source) => source === "document"
    ? sql`'document'::text as source, d.id, d.kind::text as kind, d.year,
      d.language, d.themes, d.territory_scope, d.authors`
    : sql`'sheet'::text as source, s.id, ${SHEET_KIND}::text as kind,
      extract(year from s.published_at at time zone 'Europe/Paris')::int
        as year,
      'fr'::text as language, s.themes, s.territory_scope,
      ''::text as authors`);

  return query<{ facet: FacetName; value: string; n: number }>(db, sql`
    with m as (${union}),
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
      ) o group by name)
    select facet, value, n::int as n from (
      select c.*, row_number() over (partition by facet
        order by n desc, value) as r from counts c) ranked
    where r <= ${FACET_SIZE}
    order by facet, n desc, value`);
}

async function labelFacets(
  db: Db, rows: { facet: FacetName; value: string; n: number }[],
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
