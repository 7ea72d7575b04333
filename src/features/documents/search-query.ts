import { sql, type SQL } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { ownValue } from "../../domain/records.ts";
import { SHEET_KIND } from "./labels.ts";
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

/** Trims a typed query to something sane to parse. */
export function normaliseQuery(q: string | undefined): string {
  const text = (q ?? "").replace(/[\u0000-\u001f\u007f]/g, " ")
    .replace(/\s+/g, " ").trim();
  if (text.length <= MAX_QUERY_CHARS) return text;
  const cut = text.slice(0, MAX_QUERY_CHARS);

  return cut.slice(0, Math.max(cut.lastIndexOf(" "), 1)).trim();
}

/** The tsquery of the words typed, or why there is none. */
export async function parseQuery(db: Db, q: string) {
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

/** The known kinds asked for: one, or several in a saved view. */
export const kindsOf = (input: LibraryQuery) =>
  (Array.isArray(input.kind) ? input.kind : input.kind ? [input.kind] : [])
    .filter((k) => k === SHEET_KIND
      || (DOCUMENT_KINDS as readonly string[]).includes(k));

/**
 * The conditions on one source's rows (alias `d` for documents, `s` for
 * sheets), or null when the filters leave that source out entirely.
 */
export function conditions(
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
  const view = input.view ? ownValue(SAVED_VIEWS, input.view) : undefined;
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
