import { and, asc, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Actor, Ctx } from "../../domain/context.ts";
import { isMember } from "../../domain/context.ts";
import { notFound } from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { organisations } from "../directory/tables.ts";
import type { CalendarEntry } from "./ical.ts";
import { canSeeEvent } from "./policy.ts";
import {
  events, EVENT_KINDS, occurrences, registrations, type EventKind,
  type RegistrationStatus,
} from "./tables.ts";

/** Visitors see public events only; signed-in people see all. */
const visibleTo = (actor: Actor): SQL | undefined =>
  isMember(actor) ? undefined : eq(events.visibility, "public");

export const isEventKind = (value: unknown): value is EventKind =>
  EVENT_KINDS.includes(value as EventKind);

/** The actor's own status on each date, in the same query. */
const myStatus = (actor: Actor) => actor.kind === "person"
  ? sql<RegistrationStatus | null>`(select r.status from ${registrations} r
      where r.occurrence_id = occurrences.id
      and r.person_id = ${actor.id})`
  : sql<RegistrationStatus | null>`null`;

/** Columns of a date in lists: the event's public fields, no video link. */
const listColumns = (actor: Actor) => ({
  id: occurrences.id,
  startsAt: occurrences.startsAt,
  endsAt: occurrences.endsAt,
  capacity: occurrences.capacity,
  confirmedCount: occurrences.confirmedCount,
  cancelled: sql<boolean>`(${occurrences.cancelled} or ${events.cancelled})`,
  eventId: events.id,
  slug: events.slug,
  title: events.title,
  kind: events.kind,
  description: events.description,
  location: events.location,
  allDay: events.allDay,
  visibility: events.visibility,
  online: sql<boolean>`(${events.videoUrl} is not null)`,
  updatedAt: events.updatedAt,
  hostId: organisations.id,
  hostName: organisations.name,
  myStatus: myStatus(actor),
});

export type OccurrenceItem = Awaited<ReturnType<typeof findOccurrences>>[number];

/**
 * Dates in a range, in order, with everything a list shows, in one query:
 * places left come from the counter kept on each date, never from a count
 * per row.
 */
export async function findOccurrences(ctx: Ctx, options: {
  from?: Date; to?: Date; kind?: EventKind; order?: "asc" | "desc";
  limit?: number;
}) {
  return ctx.db.select(listColumns(ctx.actor)).from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .leftJoin(organisations, eq(organisations.id, events.hostOrganisationId))
    .where(and(
      visibleTo(ctx.actor),
      options.from ? gte(occurrences.endsAt, options.from) : undefined,
      options.to ? lt(occurrences.startsAt, options.to) : undefined,
      options.kind ? eq(events.kind, options.kind) : undefined,
    ))
    .orderBy(options.order === "desc" ? desc(occurrences.startsAt)
      : asc(occurrences.startsAt), asc(events.title))
    .limit(options.limit ?? 500);
}

/** The agenda's list: upcoming dates, or past ones latest first. */
export function findAgenda(ctx: Ctx, options: {
  kind?: EventKind; past?: boolean; limit?: number;
}) {
  const now = ctx.now();

  return options.past
    ? findOccurrences(ctx, { to: now, kind: options.kind, order: "desc",
      limit: options.limit ?? 200 })
    : findOccurrences(ctx, { from: now, kind: options.kind,
      limit: options.limit ?? 200 });
}

/**
 * An event page: the event, its host, and each date with its waiting list
 * length and the actor's status. The video link is kept only on dates
 * where the actor holds a confirmed place.
 */
export async function getEventBySlug(ctx: Ctx, slug: string) {
  const [row] = await ctx.db.select().from(events)
    .leftJoin(organisations, eq(organisations.id, events.hostOrganisationId))
    .where(eq(events.slug, slug));
  if (!row || !canSeeEvent(ctx.actor, row.events)) {
    throw notFound("Évènement introuvable.");
  }
  const { videoUrl, ...event } = row.events;
  const dates = await ctx.db.select({
    id: occurrences.id, startsAt: occurrences.startsAt,
    endsAt: occurrences.endsAt, capacity: occurrences.capacity,
    confirmedCount: occurrences.confirmedCount,
    cancelled: sql<boolean>`(${occurrences.cancelled} or ${events.cancelled})`,
    waitingCount: sql<number>`(select count(*)::int from ${registrations} r
      where r.occurrence_id = occurrences.id and r.status = 'waiting')`,
    myStatus: myStatus(ctx.actor),
  }).from(occurrences).innerJoin(events, eq(events.id, occurrences.eventId))
    .where(eq(occurrences.eventId, event.id)).orderBy(asc(occurrences.startsAt));

  return {
    event,
    host: row.organisations
      ? { id: row.organisations.id, name: row.organisations.name,
        slug: row.organisations.slug } : null,
    occurrences: dates.map((d) => ({
      ...d, videoUrl: d.myStatus === "confirmed" ? videoUrl : null,
    })),
    hasVideo: videoUrl !== null,
  };
}

/** The whole event row, for staff editing it (video link included). */
export async function getEventForEdit(ctx: Ctx, slug: string) {
  const [event] = await ctx.db.select().from(events)
    .where(eq(events.slug, slug));
  if (!event) throw notFound("Évènement introuvable.");

  return event;
}

/** Organisations that may host an event, for the staff form. */
export function findHostChoices(ctx: Ctx) {
  return ctx.db.select({ id: organisations.id, name: organisations.name })
    .from(organisations).orderBy(asc(organisations.name));
}

const toEntry = (row: OccurrenceItem, videoUrl: string | null = null):
  CalendarEntry => ({
  occurrenceId: row.id, slug: row.slug, title: row.title, kind: row.kind,
  description: row.description, location: row.location, allDay: row.allDay,
  startsAt: row.startsAt, endsAt: row.endsAt, cancelled: row.cancelled,
  updatedAt: row.updatedAt, videoUrl,
});

/** Every date of public events, for the public feed: no video link. */
export async function findPublicCalendar(ctx: Ctx): Promise<CalendarEntry[]> {
  const rows = await findOccurrences({ ...ctx, actor: { kind: "visitor" } },
    { limit: 100_000 });

  return rows.map((row) => toEntry(row));
}

/** One event's dates as calendar entries, for its .ics file. */
export async function findEventCalendar(ctx: Ctx, slug: string) {
  const page = await getEventBySlug(ctx, slug);

  return {
    title: page.event.title,
    entries: page.occurrences.map((o): CalendarEntry => ({
      occurrenceId: o.id, slug: page.event.slug, title: page.event.title,
      kind: page.event.kind, description: page.event.description,
      location: page.event.location, allDay: page.event.allDay,
      startsAt: o.startsAt, endsAt: o.endsAt, cancelled: o.cancelled,
      updatedAt: page.event.updatedAt, videoUrl: o.videoUrl,
    })),
  };
}

/**
 * A person's feed, opened by the secret token of its URL: every date they
 * may see, with the video link on those where their place is confirmed.
 */
export async function findPersonalCalendar(ctx: Ctx, token: string) {
  const [person] = await ctx.db.select().from(people)
    .where(eq(people.calendarToken, token));
  if (!person || person.accountStatus !== "active") {
    throw notFound("Ce lien d'agenda n'est pas valable.");
  }
  const actor: Actor = { kind: "person", id: person.id,
    fullName: person.fullName, email: person.email ?? "", role: person.role,
    isFacilitator: person.isFacilitator };
  const rows = await ctx.db.select({
    ...listColumns(actor), videoUrl: events.videoUrl,
  }).from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .leftJoin(organisations, eq(organisations.id, events.hostOrganisationId))
    .orderBy(asc(occurrences.startsAt));

  return {
    name: person.fullName,
    entries: rows.map((row) => toEntry(row,
      row.myStatus === "confirmed" ? row.videoUrl : null)),
  };
}

/** The signed-in person's calendar token, for the feed URL. */
export async function getCalendarToken(ctx: Ctx, personId: string) {
  const [row] = await ctx.db.select({ token: people.calendarToken })
    .from(people).where(eq(people.id, personId));
  if (!row) throw notFound();

  return row.token;
}
