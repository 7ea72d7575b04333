import crypto from "node:crypto";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, FOREIGN_KEY_VIOLATION, invalid, isPgError, notFound,
  pgConstraint, UNIQUE_VIOLATION, unauthenticated,
} from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { parisDay } from "../../domain/time.ts";
import { people } from "../accounts/tables.ts";
import { parseEventInput, type EventInput, type EventValues } from "./input.ts";
import { cancellationMail, rescheduleMail } from "./mails.ts";
import { canManageEvents } from "./policy.ts";
import { expandOccurrences, type Slot } from "./recurrence.ts";
import { promoteWaiting } from "./registrations.ts";
import { events, occurrences, registrations } from "./tables.ts";

export type EventRow = typeof events.$inferSelect;
export type OccurrenceRow = typeof occurrences.$inferSelect;

/** Staff only: visitors are asked to sign in, allies are refused. */
export function assertCanManage(ctx: Ctx) {
  if (ctx.actor.kind === "visitor") throw unauthenticated();
  if (!canManageEvents(ctx.actor)) throw forbidden();
}

// Paths under /agenda that an event slug must not take.
const RESERVED = new Set(["nouveau", "mois", "mes-inscriptions", "flux",
  "participations", "dates"]);

export function slugify(title: string): string {
  const slug = title.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .slice(0, 60).replace(/-+$/, "");

  return slug || "evenement";
}

/** A free slug: the title, then with the date, then numbered. */
async function freeSlug(db: Db, title: string, startsAt: Date) {
  const base = slugify(title);
  const taken = new Set((await db.select({ slug: events.slug }).from(events)
    .where(sql`${events.slug} = ${base} or ${events.slug} like ${
      `${base}-%`}`)).map((r) => r.slug));
  const candidates = [base, `${base}-${parisDay(startsAt)}`];
  for (const candidate of candidates) {
    if (!taken.has(candidate) && !RESERVED.has(candidate)) return candidate;
  }
  for (let n = 2; ; n++) {
    const candidate = `${candidates[1]}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Turns constraint violations of an event write into French messages. */
function mapEventError(error: unknown): never {
  if (isPgError(error, FOREIGN_KEY_VIOLATION)) {
    throw invalid("La structure d'accueil n'existe pas.",
      { hostOrganisationId: "Structure d'accueil inconnue." });
  }
  if (isPgError(error, UNIQUE_VIOLATION)
    && pgConstraint(error) === "events_slug_key") {
    throw conflict("Un autre évènement vient de prendre cette adresse ; " +
      "réessayez.");
  }
  throw error;
}

/** Creates an event and its occurrences. */
export async function createEvent(
  ctx: Ctx, input: EventInput,
): Promise<EventRow> {
  assertCanManage(ctx);
  const values = parseEventInput(input);

  try {
    return await ctx.db.transaction((tx) => insertEvent(
      { ...ctx, db: tx }, values, null));
  } catch (error) {
    return mapEventError(error);
  }
}

/** Writes a new event (with an imported UID when given) and its dates. */
export async function insertEvent(
  ctx: Ctx, values: EventValues, icalUid: string | null,
): Promise<EventRow> {
  const host = new URL(ctx.config.baseUrl).hostname || "localhost";
  const [event] = await ctx.db.insert(events).values({
    ...values,
    slug: await freeSlug(ctx.db, values.title, values.startsAt),
    icalUid: icalUid ?? `${crypto.randomUUID()}@${host}`,
    createdBy: ctx.actor.kind === "person" ? realPersonId(ctx) : null,
  }).returning();
  await syncOccurrences(ctx, event, { cancelRemoved: false });

  return event;
}

// The command line acts as a system person that has no row in `people`.
const SYSTEM_ID = "00000000-0000-0000-0000-000000000000";
const realPersonId = (ctx: Ctx) =>
  ctx.actor.kind === "person" && ctx.actor.id !== SYSTEM_ID
    ? ctx.actor.id : null;

export interface UpdateEventInput extends EventInput {
  id: string;
  /** The version the editor started from: a concurrent edit is refused. */
  version: number | string;
  /**
   * Dates that the new rule no longer produces but that have
   * registrations are refused, unless staff choose to cancel them (their
   * registrants are told).
   */
  cancelRemoved?: boolean | string;
}

/** Edits an event; its future dates follow, registrations are kept. */
export async function updateEvent(
  ctx: Ctx, input: UpdateEventInput,
): Promise<EventRow> {
  assertCanManage(ctx);
  const values = parseEventInput(input);
  const version = Number(input.version);
  const cancelRemoved = input.cancelRemoved === true
    || input.cancelRemoved === "on" || input.cancelRemoved === "true";

  try {
    return await ctx.db.transaction((tx) => writeEvent({ ...ctx, db: tx },
      input.id, values, version, cancelRemoved));
  } catch (error) {
    return mapEventError(error);
  }
}

/** Updates an event row if it is still at `version`, then its dates. */
export async function writeEvent(
  ctx: Ctx, id: string, values: EventValues, version: number | null,
  cancelRemoved: boolean,
): Promise<EventRow> {
  const [event] = await ctx.db.update(events).set({
    ...values,
    version: sql`${events.version} + 1`,
    updatedAt: sql`now()`,
  }).where(and(eq(events.id, id),
    version === null ? undefined : eq(events.version, version)))
    .returning();
  if (!event) {
    const [exists] = await ctx.db.select({ id: events.id }).from(events)
      .where(eq(events.id, id));
    if (!exists) throw notFound("Évènement introuvable.");
    throw conflict("Quelqu'un a modifié cet évènement pendant que vous le " +
      "modifiiez. Rechargez la page pour partir de sa dernière version.");
  }
  await syncOccurrences(ctx, event, { cancelRemoved });

  return event;
}

interface Existing extends OccurrenceRow {
  active: number;
}

/**
 * Brings the stored dates in line with the event. A stored date is kept
 * when a new one falls on the same instant or the same Paris day (its
 * times then move); past dates are never touched; a future date that
 * disappears is deleted when nobody registered, refused otherwise unless
 * `cancelRemoved` (then cancelled, registrants told).
 */
export async function syncOccurrences(
  ctx: Ctx, event: EventRow, options: { cancelRemoved: boolean },
) {
  const now = ctx.now();
  const slots = expandOccurrences(event, now);
  const existing = await ctx.db.select({
    id: occurrences.id, eventId: occurrences.eventId,
    startsAt: occurrences.startsAt, endsAt: occurrences.endsAt,
    capacity: occurrences.capacity, confirmedCount: occurrences.confirmedCount,
    cancelled: occurrences.cancelled,
    // Spelled out: drizzle leaves columns of a one-table select unqualified.
    active: sql<number>`(select count(*)::int from ${registrations} r
      where r.occurrence_id = occurrences.id
      and r.status in ('confirmed', 'waiting'))`,
  }).from(occurrences).where(eq(occurrences.eventId, event.id))
    .orderBy(occurrences.startsAt) as Existing[];

  const pairs = pairSlots(existing, slots, !event.rrule, now);
  const unmatched = existing.filter((o) => !pairs.some(([e]) => e === o));
  const removed = unmatched.filter((o) => o.startsAt >= now);
  const blocked = removed.filter((o) => o.active > 0 && !o.cancelled);
  if (blocked.length > 0 && !options.cancelRemoved) {
    throw invalid(`${blocked.length === 1 ? "Une date" : `${blocked.length
    } dates`} qui disparaîtrai${blocked.length === 1 ? "t" : "ent"} ont des ` +
      `inscrit·es (${blocked.map((o) => parisDay(o.startsAt)).join(", ")}). ` +
      "Cochez « annuler ces dates et prévenir les inscrit·es » pour les " +
      "annuler, ou gardez-les dans la règle.",
    { cancelRemoved: "Des dates supprimées ont des inscrit·es." });
  }

  for (const occurrence of removed) {
    // A cancelled date with registrants stays, as the trace of what they
    // were told.
    if (occurrence.active > 0) {
      await cancelOccurrenceRow(ctx, event, occurrence);
    } else {
      await ctx.db.delete(occurrences).where(eq(occurrences.id, occurrence.id));
    }
  }

  for (const [occurrence, slot] of pairs) {
    if (occurrence.startsAt < now) continue;
    await updateOccurrence(ctx, event, occurrence, slot);
  }

  const fresh = slots.filter((s) => !pairs.some(([, p]) => p === s));
  if (fresh.length > 0) {
    await ctx.db.insert(occurrences).values(fresh.map((slot) => ({
      eventId: event.id, startsAt: slot.startsAt, endsAt: slot.endsAt,
      capacity: event.capacity, cancelled: event.cancelled,
    }))).onConflictDoNothing();
  }
}

/** Matches stored dates to computed ones: same instant, then same day. */
function pairSlots(
  existing: Existing[], slots: Slot[], single: boolean, now: Date,
): [Existing, Slot][] {
  const pairs: [Existing, Slot][] = [];
  const freeSlots = new Set(slots);
  const freeExisting = new Set(existing);
  const match = (test: (o: Existing, s: Slot) => boolean) => {
    for (const o of [...freeExisting]) {
      const slot = [...freeSlots].find((s) => test(o, s));
      if (!slot) continue;
      pairs.push([o, slot]);
      freeSlots.delete(slot);
      freeExisting.delete(o);
    }
  };
  match((o, s) => o.startsAt.getTime() === s.startsAt.getTime());
  match((o, s) => parisDay(o.startsAt) === parisDay(s.startsAt));
  // A one-off event moved to another day keeps its registrations.
  const future = [...freeExisting].filter((o) => o.startsAt >= now);
  if (single && future.length === 1 && freeSlots.size === 1) {
    pairs.push([future[0], [...freeSlots][0]]);
  }

  return pairs;
}

async function updateOccurrence(
  ctx: Ctx, event: EventRow, occurrence: Existing, slot: Slot,
) {
  if (event.capacity !== null && occurrence.confirmedCount > event.capacity) {
    throw invalid("La capacité est inférieure au nombre de places déjà " +
      `confirmées (${occurrence.confirmedCount} le ${
        parisDay(occurrence.startsAt)}).`,
    { capacity: `Au moins ${occurrence.confirmedCount} places.` });
  }
  const moved = occurrence.startsAt.getTime() !== slot.startsAt.getTime()
    || occurrence.endsAt.getTime() !== slot.endsAt.getTime();
  const [row] = await ctx.db.update(occurrences).set({
    startsAt: slot.startsAt, endsAt: slot.endsAt, capacity: event.capacity,
    cancelled: event.cancelled || occurrence.cancelled,
  }).where(eq(occurrences.id, occurrence.id)).returning();

  if (moved && occurrence.active > 0 && !row.cancelled) {
    for (const to of await activeRegistrants(ctx.db, [occurrence.id])) {
      if (to.email) {
        await enqueueMail(ctx.db, rescheduleMail(ctx.config, to, event, row));
      }
    }
  }
  // More places may let people off the waiting list.
  const more = event.capacity === null || occurrence.capacity === null
    || event.capacity > occurrence.capacity;
  if (more && !row.cancelled) await promoteWaiting(ctx, event, row);
}

/** People with a confirmed or waiting registration on these dates. */
async function activeRegistrants(db: Db, occurrenceIds: string[]) {
  if (occurrenceIds.length === 0) return [];

  return db.select({
    occurrenceId: registrations.occurrenceId, email: people.email,
    fullName: people.fullName,
  }).from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(inArray(registrations.occurrenceId, occurrenceIds),
      inArray(registrations.status, ["confirmed", "waiting"])));
}

/** Marks a date cancelled and writes to everyone registered for it. */
async function cancelOccurrenceRow(
  ctx: Ctx, event: EventRow, occurrence: OccurrenceRow,
) {
  const [row] = await ctx.db.update(occurrences).set({ cancelled: true })
    .where(and(eq(occurrences.id, occurrence.id),
      eq(occurrences.cancelled, false)))
    .returning();
  if (!row) return;
  for (const to of await activeRegistrants(ctx.db, [row.id])) {
    if (to.email) {
      await enqueueMail(ctx.db, cancellationMail(ctx.config, to, event, row));
    }
  }
}

/** Cancels an event: its future dates are cancelled, registrants told. */
export async function cancelEvent(
  ctx: Ctx, input: { id: string },
): Promise<EventRow> {
  assertCanManage(ctx);

  return ctx.db.transaction(async (tx) => {
    const [event] = await tx.update(events).set({
      cancelled: true, version: sql`${events.version} + 1`,
      updatedAt: sql`now()`,
    }).where(eq(events.id, input.id)).returning();
    if (!event) throw notFound("Évènement introuvable.");
    const future = await tx.select().from(occurrences).where(and(
      eq(occurrences.eventId, event.id), gte(occurrences.startsAt, ctx.now())));
    for (const occurrence of future) {
      await cancelOccurrenceRow({ ...ctx, db: tx }, event, occurrence);
    }

    return event;
  });
}

/** Cancels one date of an event, registrants told. */
export async function cancelOccurrence(
  ctx: Ctx, input: { occurrenceId: string },
) {
  assertCanManage(ctx);

  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(occurrences)
      .innerJoin(events, eq(events.id, occurrences.eventId))
      .where(eq(occurrences.id, input.occurrenceId));
    if (!row) throw notFound("Date introuvable.");
    if (row.occurrences.startsAt < ctx.now()) {
      throw invalid("Cette date est passée : elle ne peut plus être annulée.");
    }
    await cancelOccurrenceRow({ ...ctx, db: tx }, row.events, row.occurrences);
    await tx.update(events).set({ updatedAt: sql`now()` })
      .where(eq(events.id, row.events.id));
  });
}
