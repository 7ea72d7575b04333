import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { requireStaff, type Actor, type Ctx } from "../../domain/context.ts";
import { parisDay } from "../../domain/time.ts";
import { toSpreadsheetCsv } from "../../domain/spreadsheet.ts";
import { auditEvents } from "./tables.ts";
import { isUuid } from "../../domain/ids.ts";

/** The id that `systemCtx` gives to background jobs: no real person. */
const SYSTEM_ID = "00000000-0000-0000-0000-000000000000";

/** The person behind an actor, or null for a visitor or a background job. */
export function personIdOf(actor: Actor): string | null {
  if (actor.kind !== "person" || actor.id === SYSTEM_ID) return null;

  return actor.id;
}

export interface AuditEntry {
  action: string;
  subjectKind: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

/**
 * Writes one step in the audit trail. Call it with the transaction of the
 * step itself, so the trail holds exactly what was committed.
 */
export async function recordAudit(
  tx: Db, actor: Actor, entry: AuditEntry, at: Date,
): Promise<void> {
  await tx.insert(auditEvents).values({
    actorId: personIdOf(actor),
    actorName: actor.kind === "person" ? actor.fullName : "Visiteur",
    action: entry.action,
    subjectKind: entry.subjectKind,
    subjectId: entry.subjectId,
    details: entry.details ?? {},
    at,
  });
}

export interface AuditFilter {
  action?: string;
  subjectKind?: string;
  subjectId?: string;
  /** Paris calendar days, inclusive, "2026-03-01". */
  from?: string;
  to?: string;
  limit?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function filterWhere(filter: AuditFilter): SQL | undefined {
  const paris = (day: string) =>
    sql`(${day}::date::timestamp at time zone 'Europe/Paris')`;
  const parts = [
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    filter.subjectKind
      ? eq(auditEvents.subjectKind, filter.subjectKind) : undefined,
    filter.subjectId && isUuid(filter.subjectId)
      ? eq(auditEvents.subjectId, filter.subjectId) : undefined,
    filter.from && DAY.test(filter.from)
      ? gte(auditEvents.at, paris(filter.from)) : undefined,
    filter.to && DAY.test(filter.to)
      ? lt(auditEvents.at, sql`${paris(filter.to)} + interval '1 day'`)
      : undefined,
  ].filter((p): p is SQL => p !== undefined);

  return parts.length ? and(...parts) : undefined;
}

export type AuditEvent = typeof auditEvents.$inferSelect;

/** The audit trail, newest first, for staff. */
export async function findAuditEvents(
  ctx: Ctx, filter: AuditFilter = {},
): Promise<AuditEvent[]> {
  // A visitor is sent to sign in, an ally refused, as on other staff pages.
  requireStaff(ctx.actor);

  return ctx.db.select().from(auditEvents).where(filterWhere(filter))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(Math.min(filter.limit ?? 200, 10_000));
}

/** The actions present in the trail, for the filter's menu. */
export async function findAuditActions(ctx: Ctx): Promise<string[]> {
  requireStaff(ctx.actor);
  const rows = await ctx.db.selectDistinct({ action: auditEvents.action })
    .from(auditEvents).orderBy(auditEvents.action);

  return rows.map((r) => r.action);
}

const timeFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit",
  second: "2-digit",
});

/**
 * The filtered trail as a CSV file that French Excel opens cleanly: UTF-8
 * with a byte-order mark, semicolons, Paris dates.
 */
export async function exportAuditCsv(
  ctx: Ctx, filter: AuditFilter = {},
): Promise<Buffer> {
  const events = await findAuditEvents(ctx, { ...filter, limit: 10_000 });
  const rows = events.map((e) => [
    parisDay(e.at), timeFormat.format(e.at), e.actorName, e.action,
    e.subjectKind, e.subjectId, JSON.stringify(e.details),
  ]);

  return toSpreadsheetCsv(["date", "heure", "acteur", "action", "objet",
    "identifiant", "détails"], rows);
}
