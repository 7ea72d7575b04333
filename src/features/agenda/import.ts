import ICAL from "ical.js";
import { eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { DomainError, invalid } from "../../domain/errors.ts";
import { parisToInstant } from "../../domain/time.ts";
import { insertEvent, assertCanManage, writeEvent } from "./events.ts";
import type { EventValues } from "./input.ts";
import { normaliseRrule } from "./recurrence.ts";
import { events, occurrences, type EventKind } from "./tables.ts";

export interface ImportReport {
  created: number;
  updated: number;
  /** Dates of the imported events after the import. */
  occurrences: number;
  errors: { uid: string; summary: string; message: string }[];
}

// Calendar programs' categories, folded (no accents, upper case).
const KINDS: Record<string, EventKind> = {
  PERMANENCE: "office_hours",
  "RENDEZ-VOUS": "meetup",
  RENDEZVOUS: "meetup",
  FORMATION: "training",
  ASSEMBLEE: "assembly",
  FONDAMENTAUX: "fundamentals",
  LABELLISATION: "labelling",
};

const fold = (text: string) => text.normalize("NFD")
  .replace(/[\u0300-\u036f]/g, "").toUpperCase().trim();

export function kindOfCategories(categories: string[]): EventKind {
  for (const category of categories) {
    const kind = KINDS[fold(category)];
    if (kind) return kind;
  }

  return "other";
}

const ONLINE = /en ligne|visio|distanciel|online|à distance/i;

/**
 * Imports an iCalendar file (an export of the agenda kept elsewhere).
 * Events are matched by UID, so importing the same file again updates
 * them instead of adding copies; the fields only Atelier knows (host,
 * capacity, visibility, registration window) are kept. Each event is
 * written in its own transaction and a failing one is reported without
 * stopping the others.
 */
export async function importIcs(ctx: Ctx, text: string): Promise<ImportReport> {
  assertCanManage(ctx);
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch {
    throw invalid("Ce fichier n'est pas un calendrier iCalendar (.ics) lisible.");
  }
  if (root.name !== "vcalendar") {
    throw invalid("Ce fichier n'est pas un calendrier iCalendar (.ics).");
  }
  const zones = new Map<string, ICAL.Timezone>();
  for (const component of root.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(component);
    zones.set(zone.tzid, zone);
  }

  const report: ImportReport = { created: 0, updated: 0, occurrences: 0,
    errors: [] };
  const ids: string[] = [];
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const uid = String(vevent.getFirstPropertyValue("uid") ?? "").trim();
    const summary = String(vevent.getFirstPropertyValue("summary") ?? "");
    try {
      if (!uid) throw invalid("Évènement sans UID.");
      // A modified single date of a series is not supported yet.
      if (vevent.hasProperty("recurrence-id")) {
        throw invalid("Les dates modifiées d'une série (RECURRENCE-ID) ne " +
          "sont pas reprises.");
      }
      const values = readEvent(vevent, zones);
      const { id, created } = await ctx.db.transaction(async (tx) => {
        const c = { ...ctx, db: tx };
        const [existing] = await tx.select().from(events)
          .where(eq(events.icalUid, uid));
        if (!existing) {
          return { id: (await insertEvent(c, values, uid)).id, created: true };
        }
        const kept = {
          ...values, hostOrganisationId: existing.hostOrganisationId,
          capacity: existing.capacity, visibility: existing.visibility,
          registrationOpensAt: existing.registrationOpensAt,
          registrationClosesAt: existing.registrationClosesAt,
        };
        await writeEvent(c, existing.id, kept, null, false);

        return { id: existing.id, created: false };
      });
      ids.push(id);
      if (created) report.created += 1;
      else report.updated += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const details = Object.values(error.fields).join(" ");
      report.errors.push({ uid, summary,
        message: details ? `${error.message} ${details}` : error.message });
    }
  }
  if (ids.length > 0) {
    const [count] = await ctx.db.select({ n: sql<number>`count(*)::int` })
      .from(occurrences).where(inArray(occurrences.eventId, ids));
    report.occurrences = count.n;
  }

  return report;
}

/** The instant of a DATE-TIME, read in its own zone (Paris when none). */
function toInstant(
  time: ICAL.Time, tzid: string | null, zones: Map<string, ICAL.Timezone>,
): Date {
  if (time.zone?.tzid === "UTC") return time.toJSDate();
  const zone = tzid ? zones.get(tzid) : undefined;
  if (zone) {
    const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour,
      time.minute, time.second);

    return new Date(wall - zone.utcOffset(time) * 1000);
  }
  if (tzid && tzid !== "Europe/Paris") {
    throw invalid(`Fuseau horaire inconnu : ${tzid}.`);
  }

  return parisToInstant(time.year, time.month, time.day, time.hour,
    time.minute, time.second);
}

const dateOf = (time: ICAL.Time, plusDays = 0) =>
  parisToInstant(time.year, time.month, time.day + plusDays);

function readEvent(
  vevent: ICAL.Component, zones: Map<string, ICAL.Timezone>,
): EventValues {
  const start = vevent.getFirstProperty("dtstart");
  if (!start) throw invalid("Évènement sans date de début (DTSTART).");
  const startTime = start.getFirstValue() as ICAL.Time;
  const allDay = startTime.isDate;
  const tz = (p: ICAL.Property) => (p.getParameter("tzid") as string) ?? null;
  const startsAt = allDay ? dateOf(startTime)
    : toInstant(startTime, tz(start), zones);

  const end = vevent.getFirstProperty("dtend");
  const duration = vevent.getFirstPropertyValue("duration") as
    ICAL.Duration | null;
  let endsAt: Date;
  if (end) {
    const endTime = end.getFirstValue() as ICAL.Time;
    endsAt = allDay ? dateOf(endTime) : toInstant(endTime, tz(end), zones);
  } else if (duration) {
    endsAt = new Date(startsAt.getTime() + duration.toSeconds() * 1000);
  } else {
    endsAt = allDay ? dateOf(startTime, 1) : startsAt;
  }
  if (endsAt < startsAt) throw invalid("La fin précède le début.");

  const exdates: Date[] = [];
  for (const property of vevent.getAllProperties("exdate")) {
    for (const value of property.getValues() as ICAL.Time[]) {
      exdates.push(value.isDate ? dateOf(value)
        : toInstant(value, tz(property), zones));
    }
  }
  const rule = vevent.getFirstPropertyValue("rrule");
  const categories = vevent.getAllProperties("categories")
    .flatMap((p) => p.getValues().map(String));
  const location = String(vevent.getFirstPropertyValue("location") ?? "")
    .trim();
  const url = String(vevent.getFirstPropertyValue("url") ?? "").trim();
  const online = /^https?:\/\//.test(url) && (!location || ONLINE.test(location));
  const title = String(vevent.getFirstPropertyValue("summary") ?? "").trim();
  if (!title) throw invalid("Évènement sans titre (SUMMARY).");

  return {
    kind: kindOfCategories(categories),
    title: title.slice(0, 200),
    description: String(vevent.getFirstPropertyValue("description") ?? "")
      .trim(),
    hostOrganisationId: null, startsAt, endsAt, allDay, location,
    videoUrl: online ? url : null,
    capacity: null, registrationOpensAt: null, registrationClosesAt: null,
    visibility: "public",
    rrule: rule ? normaliseRrule(rule.toString()) : null,
    exdates,
  };
}
