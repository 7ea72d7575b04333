import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { normaliseQuery, parseQuery } from "./search-query.ts";

/** A piece of an excerpt; marked pieces are the words that matched. */
export interface Segment { text: string; marked: boolean }

// Two control characters mark matched words in excerpts: they cannot come
// from the texts (removed from them first), so no text can forge a
// highlight.
const START = "\u0001";
const STOP = "\u0002";
/** How an excerpt is cut: two short passages around the matched words. */
export const EXCERPT_OPTIONS = `StartSel=${START}, StopSel=${STOP}, `
  + `MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "`;
/** A title or a whole text: every matched word marked, nothing cut. */
export const TITLE_OPTIONS =
  `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;

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
