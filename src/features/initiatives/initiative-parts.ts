import { eq, sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import type { ValidInput } from "./initiative-input.ts";
import { refreshPoolingMatches } from "./pooling-matches.ts";
import { refreshInitiativeSearch } from "./search.ts";
import { idList } from "./sql.ts";
import {
  initiativeCarriers, initiativeTerritories, poolingItems,
} from "./tables.ts";

/** Territories and every territory containing them, as in the directory. */
export async function scopeOf(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await query<{ id: string }>(db, sql`select distinct
    unnest(ancestors) as id from territories where id = any(${idList(ids)}::text[])`);

  return rows.map((r) => r.id).sort();
}

/**
 * Writes again what an initiative is made of: its carriers, territories,
 * offers and needs, then the matches and search text that follow them.
 */
export async function writeParts(db: Db, id: string, valid: ValidInput) {
  await db.delete(initiativeCarriers)
    .where(eq(initiativeCarriers.initiativeId, id));
  await db.insert(initiativeCarriers).values(valid.carrierIds
    .map((organisationId) => ({ initiativeId: id, organisationId })));
  await db.delete(initiativeTerritories)
    .where(eq(initiativeTerritories.initiativeId, id));
  if (valid.territoryIds.length) {
    await db.insert(initiativeTerritories).values(valid.territoryIds
      .map((territoryId) => ({ initiativeId: id, territoryId })));
  }
  await db.delete(poolingItems).where(eq(poolingItems.initiativeId, id));
  const items = [
    ...valid.offers.map((o, i) => ({ ...o, direction: "offer" as const,
      position: i })),
    ...valid.needs.map((n, i) => ({ ...n, direction: "need" as const,
      position: i })),
  ];
  if (items.length) {
    await db.insert(poolingItems).values(items
      .map((item) => ({ ...item, initiativeId: id })));
  }
  await refreshPoolingMatches(db, [id]);
  await refreshInitiativeSearch(db, [id]);
}
