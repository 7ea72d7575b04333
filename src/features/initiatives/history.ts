import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { loadForEdit } from "./carriers.ts";
import {
  initiativeHistory, type HistoryAction, type InitiativeStatus,
} from "./tables.ts";

// The command line acts as a staff member who is not in the people table.
export const personOrNull = (id: string) =>
  id === "00000000-0000-0000-0000-000000000000" ? null : id;

export async function logHistory(
  db: Db, initiativeId: string, personId: string, action: HistoryAction,
  status: InitiativeStatus, reason = "",
) {
  await db.insert(initiativeHistory).values({
    initiativeId, personId: personOrNull(personId), action, status, reason,
  });
}

export interface HistoryEntry {
  action: HistoryAction; status: InitiativeStatus; reason: string;
  createdAt: Date; personName: string | null;
}

/** The publication log of an initiative, for its carriers and staff. */
export async function findInitiativeHistory(
  ctx: Ctx, id: string,
): Promise<HistoryEntry[]> {
  await loadForEdit(ctx, id);
  const rows = await query<HistoryEntry>(ctx.db, sql`select h.action,
    h.status, h.reason, h.created_at as "createdAt",
    p.full_name as "personName" from initiative_history h
    left join people p on p.id = h.person_id
    where h.initiative_id = ${id} order by h.created_at desc, h.id`);

  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}
