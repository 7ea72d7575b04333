import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { POOLING_KINDS, type PoolingKind } from "./tables.ts";

// An offer meets a need above this score (trigram similarity or the
// Jaccard index of their French stems, whichever is higher).
export const MATCH_THRESHOLD = 0.35;

// Nearest texts looked at per offer or need, by trigram distance.
const NEAREST = 20;

/**
 * Finds again the offers meeting the needs of these initiatives, and the
 * needs their offers meet: for each item, the nearest texts of the same
 * kind on the other side by trigram distance (GiST index), scored by
 * trigram similarity and shared French stems, the best kept. Called in the
 * transaction of every change to the items; kind and direction are written
 * as literals so that each lookup uses its own partial GiST index.
 */
export async function refreshPoolingMatches(db: Db, initiativeIds: string[]) {
  if (initiativeIds.length === 0) return;
  const ids = sql`${`{${initiativeIds.join(",")}}`}::uuid[]`;
  await db.execute(sql`delete from pooling_matches m
    using initiative_pooling_items x
    where x.initiative_id = any(${ids})
      and x.id in (m.need_item_id, m.offer_item_id)`);
  const present = await query<{ kind: PoolingKind; direction: string }>(db,
    sql`select distinct kind, direction from initiative_pooling_items
      where initiative_id = any(${ids})`);
  for (const { kind, direction } of present) {
    if (!POOLING_KINDS.includes(kind)) continue;
    const other = direction === "offer" ? "need" : "offer";
    const [need, offer] = direction === "need"
      ? [sql`x.id`, sql`o.id`] : [sql`o.id`, sql`x.id`];
    await db.execute(sql`
      insert into pooling_matches (need_item_id, offer_item_id, score)
      select ${need}, ${offer}, o.score
      from initiative_pooling_items x
      cross join lateral (select o.id, greatest(
          similarity(o.search_key, x.search_key),
          o.common::real / greatest(cardinality(o.lexemes)
            + cardinality(x.lexemes) - o.common, 1)) as score
        from (select o.id, o.search_key, o.lexemes,
            (select count(*) from unnest(o.lexemes) l
              where l = any(x.lexemes)) as common
          from initiative_pooling_items o
          where ${sql.raw(`o.kind = '${kind}' and o.direction = '${other}'`)}
            and o.initiative_id <> x.initiative_id
          order by o.search_key <-> x.search_key limit ${NEAREST}) o) o
      where x.initiative_id = any(${ids})
        and ${sql.raw(`x.kind = '${kind}' and x.direction = '${direction}'`)}
        and o.score >= ${MATCH_THRESHOLD}
      on conflict do nothing`);
  }
}
