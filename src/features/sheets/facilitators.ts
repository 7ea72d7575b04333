import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { requirePerson } from "../../domain/context.ts";
import { forbidden, invalid, notFound } from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { attendances, events, occurrences } from "../agenda/tables.ts";
import { recordAudit } from "../audit/audit.ts";
import { splitList } from "../directory/labels.ts";
import { canManageTraining } from "./policy.ts";
import {
  facilitatorAvailability, trainingCompletions, trainingRequests,
} from "./tables.ts";
import { isUuid } from "../../domain/ids.ts";

const requireStaffRight = (ctx: Ctx) => {
  requirePerson(ctx.actor);
  if (!canManageTraining(ctx.actor)) throw forbidden();
};

/** A facilitator says whether they can co-write sheets, on what, in what. */
export async function updateAvailability(ctx: Ctx, input: {
  available: boolean; themes?: string; languages?: string;
}) {
  const me = requirePerson(ctx.actor);
  if (!me.isFacilitator) {
    throw forbidden("Seul·es les maïeuticien·nes indiquent leur "
      + "disponibilité.");
  }
  const themes = splitList(input.themes).slice(0, 30);
  const languages = splitList(input.languages).slice(0, 10);
  if ([...themes, ...languages].some((s) => s.length > 100)) {
    throw invalid("Un thème ou une langue est trop long.",
      { themes: "100 caractères au plus par élément." });
  }
  const values = { available: input.available, themes, languages,
    updatedAt: ctx.now() };
  await ctx.db.insert(facilitatorAvailability)
    .values({ personId: me.id, ...values })
    .onConflictDoUpdate({ target: facilitatorAvailability.personId,
      set: values });
}

export async function getMyAvailability(ctx: Ctx) {
  const me = requirePerson(ctx.actor);
  const [row] = await ctx.db.select().from(facilitatorAvailability)
    .where(eq(facilitatorAvailability.personId, me.id));

  return row ?? null;
}

/** Facilitators who said they are available, for allies to find one. */
export async function findAvailableFacilitators(ctx: Ctx) {
  requirePerson(ctx.actor);

  return ctx.db.select({ id: people.id, fullName: people.fullName,
    themes: facilitatorAvailability.themes,
    languages: facilitatorAvailability.languages })
    .from(facilitatorAvailability)
    .innerJoin(people, eq(people.id, facilitatorAvailability.personId))
    .where(and(eq(facilitatorAvailability.available, true),
      eq(people.isFacilitator, true), eq(people.accountStatus, "active")))
    .orderBy(asc(people.fullName));
}

/** An ally asks to be trained; asking again changes nothing. */
export async function requestTraining(ctx: Ctx, input: { message?: string }) {
  const me = requirePerson(ctx.actor);
  if (me.isFacilitator) {
    throw invalid("Vous êtes déjà maïeuticien·ne.");
  }
  const message = (input.message ?? "").trim();
  if (message.length > 2000) {
    throw invalid("Le message est trop long.",
      { message: "2 000 caractères au plus." });
  }
  await ctx.db.insert(trainingRequests)
    .values({ personId: me.id, message, createdAt: ctx.now() })
    .onConflictDoNothing();
}

export async function findMyTrainingRequest(ctx: Ctx) {
  const me = requirePerson(ctx.actor);
  const [row] = await ctx.db.select().from(trainingRequests)
    .where(and(eq(trainingRequests.personId, me.id),
      isNull(trainingRequests.closedAt)));

  return row ?? null;
}

// Whether a person came to any date of a training event.
const attendedTraining = (personId: unknown) => sql<boolean>`exists (
  select 1 from attendances a join occurrences o on o.id = a.occurrence_id
  join events e on e.id = o.event_id
  where a.person_id = ${personId} and e.kind = 'training')`;

/**
 * Open requests to be trained, oldest first, each saying whether the
 * person has already attended a training (from the agenda's attendance).
 */
export async function findTrainingRequests(ctx: Ctx) {
  requireStaffRight(ctx);

  return ctx.db.select({
    id: trainingRequests.id, personId: people.id, fullName: people.fullName,
    email: people.email, message: trainingRequests.message,
    createdAt: trainingRequests.createdAt,
    hasAttendedTraining: attendedTraining(people.id),
  }).from(trainingRequests)
    .innerJoin(people, eq(people.id, trainingRequests.personId))
    .where(isNull(trainingRequests.closedAt))
    .orderBy(asc(trainingRequests.createdAt));
}

export async function closeTrainingRequest(ctx: Ctx, requestId: string) {
  requireStaffRight(ctx);
  const [row] = isUuid(requestId) ? await ctx.db.update(trainingRequests)
    .set({ closedAt: ctx.now() }).where(and(
      eq(trainingRequests.id, requestId), isNull(trainingRequests.closedAt)))
    .returning() : [];
  if (!row) throw notFound("Cette demande n'existe pas ou est close.");
}

/** Dates of training events that have started, newest first. */
export async function findTrainingSessions(ctx: Ctx) {
  requireStaffRight(ctx);

  return ctx.db.select({ id: occurrences.id, title: events.title,
    startsAt: occurrences.startsAt,
    attendees: sql<number>`(select count(*)::int from attendances a
      where a.occurrence_id = ${occurrences.id})` }).from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .where(and(eq(events.kind, "training"),
      sql`${occurrences.startsAt} <= ${ctx.now().toISOString()}::timestamptz`))
    .orderBy(desc(occurrences.startsAt)).limit(100);
}

async function getTrainingOccurrence(ctx: Ctx, occurrenceId: string) {
  const [row] = isUuid(occurrenceId) ? await ctx.db.select({
    id: occurrences.id, title: events.title, startsAt: occurrences.startsAt,
  }).from(occurrences).innerJoin(events, eq(events.id, occurrences.eventId))
    .where(and(eq(occurrences.id, occurrenceId),
      eq(events.kind, "training"))) : [];
  if (!row) throw notFound("Cette date de formation n'existe pas.");

  return row;
}

/** Who attended a training date, and who is already recorded trained. */
export async function findTrainingAttendees(ctx: Ctx, occurrenceId: string) {
  requireStaffRight(ctx);
  const session = await getTrainingOccurrence(ctx, occurrenceId);
  const attendees = await ctx.db.select({ id: people.id,
    fullName: people.fullName, isFacilitator: people.isFacilitator,
    completed: sql<boolean>`exists (select 1 from training_completions c
      where c.occurrence_id = ${session.id} and c.person_id = ${people.id})`,
  }).from(attendances).innerJoin(people, eq(people.id, attendances.personId))
    .where(eq(attendances.occurrenceId, session.id))
    .orderBy(asc(people.fullName));

  return { session, attendees };
}

/**
 * Staff record who completed a training, among those present at one of
 * its dates, and may flag them facilitators at once. Their requests to be
 * trained are closed.
 */
export async function recordTrainingCompletions(ctx: Ctx, input: {
  occurrenceId: string; personIds: string[]; makeFacilitators: boolean;
}) {
  requireStaffRight(ctx);
  const session = await getTrainingOccurrence(ctx, input.occurrenceId);
  const personIds = [...new Set(input.personIds.filter((id) => isUuid(id)))];
  if (personIds.length === 0) {
    throw invalid("Cochez au moins une personne.",
      { personIds: "Cochez au moins une personne présente." });
  }
  const present = await ctx.db.select({ id: attendances.personId })
    .from(attendances).where(and(eq(attendances.occurrenceId, session.id),
      inArray(attendances.personId, personIds)));
  if (present.length !== personIds.length) {
    throw invalid("Seules les personnes présentes à cette date peuvent être "
      + "déclarées formées.", { personIds: "Une personne cochée n'était "
      + "pas présente." });
  }
  const recordedBy = ctx.actor.kind === "person" ? ctx.actor.id : null;
  const exists = recordedBy ? await ctx.db.select({ id: people.id })
    .from(people).where(eq(people.id, recordedBy)) : [];

  await ctx.db.transaction(async (tx) => {
    await tx.insert(trainingCompletions).values(personIds.map((personId) => ({
      occurrenceId: session.id, personId, recordedAt: ctx.now(),
      recordedBy: exists.length ? recordedBy : null,
    }))).onConflictDoNothing();
    if (input.makeFacilitators) {
      await tx.update(people).set({ isFacilitator: true, updatedAt: ctx.now(),
        version: sql`${people.version} + 1` })
        .where(and(inArray(people.id, personIds),
          eq(people.isFacilitator, false)));
    }
    await tx.update(trainingRequests).set({ closedAt: ctx.now() })
      .where(and(inArray(trainingRequests.personId, personIds),
        isNull(trainingRequests.closedAt)));
    for (const personId of personIds) {
      await recordAudit(tx, ctx.actor, { action: "training.completed",
        subjectKind: "person", subjectId: personId,
        details: { occurrenceId: session.id, training: session.title,
          facilitator: input.makeFacilitators } }, ctx.now());
    }
  });

  return personIds.length;
}

/**
 * Facilitators with their availability, their trainings, and the sheets
 * they accompanied. `sheets` counts every sheet they are the facilitator
 * of, published or not (their volunteering is the writing itself);
 * `publishedSheets` the published ones among them.
 */
export async function findFacilitators(ctx: Ctx) {
  requireStaffRight(ctx);

  return ctx.db.select({
    id: people.id, fullName: people.fullName, email: people.email,
    available: facilitatorAvailability.available,
    themes: facilitatorAvailability.themes,
    languages: facilitatorAvailability.languages,
    trainings: sql<number>`(select count(*)::int from training_completions c
      where c.person_id = ${people.id})`,
    sheets: sql<number>`(select count(*)::int from experience_sheets s
      where s.facilitator_id = ${people.id})`,
    publishedSheets: sql<number>`(select count(*)::int from
      experience_sheets s where s.facilitator_id = ${people.id}
      and s.status = 'published')`,
  }).from(people)
    .leftJoin(facilitatorAvailability,
      eq(facilitatorAvailability.personId, people.id))
    .where(eq(people.isFacilitator, true))
    .orderBy(asc(people.fullName));
}
