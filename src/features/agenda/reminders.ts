import { and, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { parisParts, parisToInstant } from "../../domain/time.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { people } from "../accounts/tables.ts";
import { assertCanManage } from "./events.ts";
import { reminderMail } from "./mails.ts";
import { events, occurrences, registrations } from "./tables.ts";

/** The Paris calendar day after the one of `now`, as two instants. */
export function parisTomorrow(now: Date) {
  const p = parisParts(now);

  return {
    from: parisToInstant(p.year, p.month, p.day + 1),
    to: parisToInstant(p.year, p.month, p.day + 2),
  };
}

/**
 * Queues a reminder for every confirmed place on a date that takes place
 * tomorrow (Paris time) and has had none yet. Each reminder carries the
 * dedupe key `reminder:<registrationId>`, so several nodes running this
 * job at once still write it once. Returns how many were queued.
 */
export async function queueReminders(ctx: Ctx): Promise<number> {
  assertCanManage(ctx);
  const { from, to } = parisTomorrow(ctx.now());

  return ctx.db.transaction(async (tx) => {
    const due = await tx.select({
      registrationId: registrations.id, email: people.email,
      fullName: people.fullName, event: events, occurrence: occurrences,
    }).from(registrations)
      .innerJoin(occurrences, eq(occurrences.id, registrations.occurrenceId))
      .innerJoin(events, eq(events.id, occurrences.eventId))
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(and(
        eq(registrations.status, "confirmed"),
        isNull(registrations.reminderSentAt),
        eq(occurrences.cancelled, false), eq(events.cancelled, false),
        gte(occurrences.startsAt, from), lt(occurrences.startsAt, to),
      ));

    let queued = 0;
    for (const row of due) {
      if (!row.email) continue;
      const key = `reminder:${row.registrationId}`;
      if (await enqueueMail(tx, reminderMail(ctx.config, row, row.event,
        row.occurrence, key))) queued += 1;
    }
    if (due.length > 0) {
      await tx.update(registrations).set({ reminderSentAt: sql`now()` })
        .where(inArray(registrations.id, due.map((r) => r.registrationId)));
    }

    return queued;
  });
}
