import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { SHEET_KIND } from "./labels.ts";
import type { HitSource } from "./search-query.ts";

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
