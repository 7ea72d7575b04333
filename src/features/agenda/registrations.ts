import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { isStaff, requirePerson } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { formatDateTime } from "../../web/format.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { people } from "../accounts/tables.ts";
import { confirmationMail, waitingMail } from "./mails.ts";
import { canRegister, canSeeEvent } from "./policy.ts";
import {
  events, occurrences, registrations, type RegistrationStatus,
} from "./tables.ts";

type EventRow = typeof events.$inferSelect;
type OccurrenceRow = typeof occurrences.$inferSelect;

/**
 * Locks one date for the rest of the transaction. Every registration and
 * cancellation of a date goes through this lock first, so they queue up
 * instead of interleaving, and always take their locks in the same order
 * (date, then registration).
 */
async function lockOccurrence(ctx: Ctx, occurrenceId: string) {
  const [row] = await ctx.db.select().from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .where(eq(occurrences.id, occurrenceId))
    .for("update", { of: occurrences });
  if (!row || !canSeeEvent(ctx.actor, row.events)) {
    throw notFound("Date introuvable.");
  }

  return { event: row.events, occurrence: row.occurrences };
}

/** Takes one place if any is left; false when the date is full. */
async function takePlace(ctx: Ctx, occurrenceId: string): Promise<boolean> {
  const taken = await ctx.db.update(occurrences)
    .set({ confirmedCount: sql`${occurrences.confirmedCount} + 1` })
    .where(and(eq(occurrences.id, occurrenceId), sql`(${
      occurrences.capacity} is null or ${occurrences.confirmedCount} < ${
      occurrences.capacity})`))
    .returning({ id: occurrences.id });

  return taken.length > 0;
}

export interface RegistrationResult {
  id: string;
  status: Exclude<RegistrationStatus, "cancelled">;
}

/**
 * Registers the signed-in person for one date: a confirmed place while
 * places are left, the waiting list otherwise. The place is taken by a
 * conditional increment of the date's counter, which the database bounds
 * by a CHECK: concurrent registrations can never overbook. The unique
 * index on (date, person) makes a second registration impossible; a
 * cancelled one is reused.
 */
export async function registerForOccurrence(
  ctx: Ctx, input: { occurrenceId: string },
): Promise<RegistrationResult> {
  const person = requirePerson(ctx.actor);
  if (!canRegister(person)) throw forbidden();

  try {
    return await ctx.db.transaction(async (db) => {
      const tx = { ...ctx, db };
      const { event, occurrence } = await lockOccurrence(tx, input.occurrenceId);
      assertOpen(tx, event, occurrence);

      const status = await takePlace(tx, occurrence.id) ? "confirmed"
        : "waiting";
      const [registration] = await db.insert(registrations).values({
        occurrenceId: occurrence.id, personId: person.id, status,
        queuedAt: sql`clock_timestamp()`,
      }).onConflictDoUpdate({
        target: [registrations.occurrenceId, registrations.personId],
        set: { status, queuedAt: sql`clock_timestamp()`,
          reminderSentAt: null, updatedAt: sql`now()` },
        setWhere: eq(registrations.status, "cancelled"),
      }).returning({ id: registrations.id });
      // Throwing rolls the place back with the rest.
      if (!registration) throw alreadyRegistered();

      const to = { email: person.email, fullName: person.fullName };
      const [fresh] = await db.select().from(occurrences)
        .where(eq(occurrences.id, occurrence.id));
      await enqueueMail(db, status === "confirmed"
        ? confirmationMail(ctx.config, to, event, fresh)
        : waitingMail(ctx.config, to, event, fresh));

      return { id: registration.id, status };
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) throw alreadyRegistered();
    throw error;
  }
}

const alreadyRegistered = () => conflict(
  "Vous êtes déjà inscrit·e à cette date (ou sur sa liste d'attente).");

function assertOpen(ctx: Ctx, event: EventRow, occurrence: OccurrenceRow) {
  const now = ctx.now();
  if (event.cancelled || occurrence.cancelled) {
    throw invalid("Cette date est annulée : on ne peut plus s'y inscrire.");
  }
  if (occurrence.startsAt <= now) {
    throw invalid("Cette date est passée : on ne peut plus s'y inscrire.");
  }
  if (event.registrationOpensAt && now < event.registrationOpensAt) {
    throw invalid(`Les inscriptions ouvriront le ${
      formatDateTime(event.registrationOpensAt)}.`);
  }
  if (event.registrationClosesAt && now > event.registrationClosesAt) {
    throw invalid("Les inscriptions sont closes.");
  }
}

/**
 * Cancels a registration: one's own, or anyone's for staff. Always
 * possible before the date, full or not. A confirmed place freed goes to
 * the first person of the waiting list, in the same transaction.
 */
export async function cancelRegistration(
  ctx: Ctx, input: { occurrenceId: string; personId?: string },
): Promise<void> {
  const actor = requirePerson(ctx.actor);
  const personId = input.personId ?? actor.id;
  if (personId !== actor.id && !isStaff(actor)) throw forbidden();

  await ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db };
    const { event, occurrence } = await lockOccurrence(tx, input.occurrenceId);
    if (occurrence.startsAt <= ctx.now()) {
      throw invalid("Cette date est passée : l'inscription ne peut plus " +
        "être annulée.");
    }
    const [registration] = await db.select().from(registrations).where(and(
      eq(registrations.occurrenceId, occurrence.id),
      eq(registrations.personId, personId),
      inArray(registrations.status, ["confirmed", "waiting"])));
    if (!registration) throw notFound("Aucune inscription à annuler.");

    await db.update(registrations)
      .set({ status: "cancelled", updatedAt: sql`now()` })
      .where(eq(registrations.id, registration.id));
    if (registration.status !== "confirmed") return;

    const [freed] = await db.update(occurrences)
      .set({ confirmedCount: sql`${occurrences.confirmedCount} - 1` })
      .where(eq(occurrences.id, occurrence.id)).returning();
    if (!freed.cancelled && !event.cancelled) {
      await promoteWaiting(tx, event, freed);
    }
  });
}

/**
 * Gives free places to the waiting list in order of arrival, re-checking
 * the capacity for each, and tells each promoted person. Runs inside the
 * caller's transaction, with the date locked.
 */
export async function promoteWaiting(
  ctx: Ctx, event: EventRow, occurrence: OccurrenceRow,
) {
  for (;;) {
    const [next] = await ctx.db.select({
      id: registrations.id, email: people.email, fullName: people.fullName,
    }).from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(and(eq(registrations.occurrenceId, occurrence.id),
        eq(registrations.status, "waiting")))
      .orderBy(asc(registrations.queuedAt)).limit(1)
      .for("update", { of: registrations });
    if (!next || !await takePlace(ctx, occurrence.id)) return;

    await ctx.db.update(registrations)
      .set({ status: "confirmed", updatedAt: sql`now()` })
      .where(eq(registrations.id, next.id));
    if (next.email) {
      await enqueueMail(ctx.db, confirmationMail(ctx.config, next, event,
        occurrence, true));
    }
  }
}

/** The signed-in person's registrations, latest dates first. */
export async function findMyRegistrations(ctx: Ctx) {
  const person = requirePerson(ctx.actor);

  return ctx.db.select({
    occurrenceId: occurrences.id, startsAt: occurrences.startsAt,
    endsAt: occurrences.endsAt,
    cancelled: sql<boolean>`${occurrences.cancelled} or ${events.cancelled}`,
    status: registrations.status, slug: events.slug, title: events.title,
    allDay: events.allDay, kind: events.kind,
  }).from(registrations)
    .innerJoin(occurrences, eq(occurrences.id, registrations.occurrenceId))
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .where(and(eq(registrations.personId, person.id),
      inArray(registrations.status, ["confirmed", "waiting"])))
    .orderBy(desc(occurrences.startsAt));
}
