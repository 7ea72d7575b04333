import { sql, type SQL } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { SHEET_KIND } from "./labels.ts";
import { EXCERPT_OPTIONS, TITLE_OPTIONS } from "./search-highlights.ts";
import {
  conditions, type FacetName, type HitSource, type LibraryQuery,
} from "./search-query.ts";

/** Weights D, C, B, A: a word in the title counts most, then the summary. */
const WEIGHTS = "{0.05, 0.2, 0.5, 1.0}";
const FACET_SIZE = 20;

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

interface HitRow {
  source: HitSource; id: string; slug: string; title: string; kind: string;
  year: number | null; language: string; published_at: string | Date;
  excerpt: string | null; rank: number;
}

/** A facet's value and its count, as the statement gives them. */
export type FacetRow = { facet: FacetName; value: string; n: number };

/**
 * The page of hits, the facets and the count in one statement, so the
 * candidates are found once.
 */
export async function findMatches(
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
