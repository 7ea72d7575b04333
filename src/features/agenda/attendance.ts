import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { requirePerson } from "../../domain/context.ts";
import {
  FOREIGN_KEY_VIOLATION, forbidden, invalid, isPgError, notFound,
} from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { memberships, organisations } from "../directory/tables.ts";
import { assertCanManage } from "./events.ts";
import {
  canSeeOrganisationParticipation, canSeePersonParticipation,
} from "./policy.ts";
import { attendances, events, occurrences, registrations } from "./tables.ts";

export interface AttendanceInput {
  occurrenceId: string;
  present: { personId: string; newToAlliance?: boolean }[];
}

/**
 * Records who came to a date, replacing the previous sheet as a whole in
 * one transaction. Only once the date has started; staff only.
 */
export async function recordAttendance(
  ctx: Ctx, input: AttendanceInput,
): Promise<number> {
  assertCanManage(ctx);
  const [occurrence] = await ctx.db.select().from(occurrences)
    .where(eq(occurrences.id, input.occurrenceId));
  if (!occurrence) throw notFound("Date introuvable.");
  if (occurrence.startsAt > ctx.now()) {
    throw invalid("La feuille de présence se remplit une fois la date " +
      "commencée.");
  }
  const byPerson = new Map<string, boolean>();
  for (const p of input.present) {
    byPerson.set(p.personId, (byPerson.get(p.personId) ?? false)
      || Boolean(p.newToAlliance));
  }
  const recordedBy = ctx.actor.kind === "person" ? ctx.actor.id : null;

  try {
    await ctx.db.transaction(async (tx) => {
      await tx.delete(attendances)
        .where(eq(attendances.occurrenceId, occurrence.id));
      if (byPerson.size === 0) return;
      const [known] = await tx.select({ n: sql<number>`count(*)::int` })
        .from(people).where(inArray(people.id, [...byPerson.keys()]));
      const recorder = recordedBy ? await tx.select({ id: people.id })
        .from(people).where(eq(people.id, recordedBy)) : [];
      if (known.n !== byPerson.size) {
        throw invalid("Une des personnes indiquées n'existe pas.");
      }
      await tx.insert(attendances).values([...byPerson].map(
        ([personId, newToAlliance]) => ({
          occurrenceId: occurrence.id, personId, newToAlliance,
          recordedBy: recorder.length ? recordedBy : null,
        })));
    });
  } catch (error) {
    if (isPgError(error, FOREIGN_KEY_VIOLATION)) {
      throw invalid("Une des personnes indiquées n'existe pas.");
    }
    throw error;
  }

  return byPerson.size;
}

/**
 * The attendance sheet of a date: registered people (confirmed and
 * waiting), then anyone recorded present without a registration.
 */
export async function getAttendanceSheet(ctx: Ctx, occurrenceId: string) {
  assertCanManage(ctx);
  const [row] = await ctx.db.select().from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .where(eq(occurrences.id, occurrenceId));
  if (!row) throw notFound("Date introuvable.");

  const lines = await ctx.db.select({
    personId: people.id, fullName: people.fullName,
    status: registrations.status,
    present: sql<boolean>`(${attendances.personId} is not null)`,
    newToAlliance: sql<boolean>`coalesce(${attendances.newToAlliance}, false)`,
  }).from(people)
    .leftJoin(registrations, and(eq(registrations.personId, people.id),
      eq(registrations.occurrenceId, occurrenceId)))
    .leftJoin(attendances, and(eq(attendances.personId, people.id),
      eq(attendances.occurrenceId, occurrenceId)))
    .where(sql`(${registrations.status} in ('confirmed', 'waiting')
      or ${attendances.personId} is not null)`)
    .orderBy(asc(people.fullName));
  const others = await ctx.db.select({ id: people.id,
    fullName: people.fullName }).from(people)
    .where(sql`${people.id} not in (${sql.join(
      [sql`null::uuid`, ...lines.map((l) => sql`${l.personId}::uuid`)],
      sql`, `)})`)
    .orderBy(asc(people.fullName));

  return { event: row.events, occurrence: row.occurrences, lines, others };
}

export type ParticipationSubject =
  | { personId: string } | { organisationId: string };

/**
 * Where a person, or the members of an organisation, were present: the
 * evidence later used for team selection. Staff, the person, or members
 * of the organisation may read it.
 */
export async function findParticipationHistory(
  ctx: Ctx, subject: ParticipationSubject,
) {
  const actor = requirePerson(ctx.actor);
  let personIds: string[];
  let name: string;
  if ("personId" in subject) {
    if (!canSeePersonParticipation(actor, subject.personId)) throw forbidden();
    const [person] = await ctx.db.select().from(people)
      .where(eq(people.id, subject.personId));
    if (!person) throw notFound("Personne introuvable.");
    personIds = [person.id];
    name = person.fullName;
  } else {
    const [organisation] = await ctx.db.select().from(organisations)
      .where(eq(organisations.id, subject.organisationId));
    if (!organisation) throw notFound("Structure introuvable.");
    personIds = (await ctx.db.select({ id: memberships.personId })
      .from(memberships)
      .where(eq(memberships.organisationId, organisation.id)))
      .map((m) => m.id);
    if (!canSeeOrganisationParticipation(actor, personIds)) throw forbidden();
    name = organisation.name;
  }
  if (personIds.length === 0) return { name, items: [] };

  const items = await ctx.db.select({
    occurrenceId: occurrences.id, startsAt: occurrences.startsAt,
    slug: events.slug, title: events.title, kind: events.kind,
    allDay: events.allDay, personId: people.id, fullName: people.fullName,
    newToAlliance: attendances.newToAlliance,
  }).from(attendances)
    .innerJoin(occurrences, eq(occurrences.id, attendances.occurrenceId))
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .innerJoin(people, eq(people.id, attendances.personId))
    .where(inArray(attendances.personId, personIds))
    .orderBy(desc(occurrences.startsAt), asc(people.fullName));

  return { name, items };
}
