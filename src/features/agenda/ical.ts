import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { Config } from "../../config.ts";
import { parisParts, ZONE } from "../../domain/time.ts";
import { markdownToText } from "../../web/markdown.ts";
import type { EventKind } from "./tables.ts";

/** What one VEVENT says: one occurrence of an event. */
export interface CalendarEntry {
  occurrenceId: string;
  slug: string;
  title: string;
  kind: EventKind;
  description: string;
  location: string;
  allDay: boolean;
  startsAt: Date;
  endsAt: Date;
  cancelled: boolean;
  updatedAt: Date;
  /** Only for people confirmed on this occurrence; never in public files. */
  videoUrl?: string | null;
}

// Europe/Paris rules since 1996, as calendar programs write them.
const PARIS_VTIMEZONE = [
  "BEGIN:VTIMEZONE", `TZID:${ZONE}`, `X-LIC-LOCATION:${ZONE}`,
  "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
  "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
  "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD", "END:VTIMEZONE",
].join("\r\n");

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An instant as ical-generator's zoned date: it writes the Paris wall
 * clock whatever the server's own zone is (a plain Date would be written
 * in the process's local time).
 */
function parisDate(date: Date) {
  const p = parisParts(date);
  const stub = {
    isValid: true,
    zone: { type: "iana" },
    toJSDate: () => date,
    setZone: () => stub,
    toFormat(format: string) {
      if (format === "yyyyLLdd") return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)}`;
      if (format === "HHmmss") return `${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
      throw new Error(`unexpected date format ${format}`);
    },
  };

  return stub as unknown as Date;
}

/** The page of an event, also its iCalendar URL. */
export const eventUrl = (config: Config, slug: string) =>
  `${config.baseUrl}/agenda/${slug}`;

/** Plain-text description: Markdown stripped, page (and link) appended. */
function describe(config: Config, entry: CalendarEntry) {
  const parts = [markdownToText(entry.description)];
  if (entry.videoUrl) parts.push(`Lien de visioconférence : ${entry.videoUrl}`);
  parts.push(eventUrl(config, entry.slug));

  return parts.filter(Boolean).join("\n\n");
}

/**
 * A calendar file. Each occurrence is its own VEVENT with the UID
 * `<occurrenceId>@host`, so cancelling one date cancels exactly that one
 * in subscribers' calendars.
 */
export function buildCalendar(
  config: Config, name: string, entries: CalendarEntry[],
): string {
  const host = new URL(config.baseUrl).hostname || "localhost";
  const calendar = ical({
    name,
    prodId: { company: config.siteName, product: "Agenda", language: "FR" },
    method: ICalCalendarMethod.PUBLISH,
    // No calendar-wide zone, so that DTSTAMP stays in UTC; the events name
    // their zone and the generator adds its VTIMEZONE.
    timezone: { name: null,
      generator: (zone) => (zone === ZONE ? PARIS_VTIMEZONE : null) },
  });

  for (const entry of entries) {
    calendar.createEvent({
      id: `${entry.occurrenceId}@${host}`,
      start: parisDate(entry.startsAt),
      end: parisDate(entry.endsAt),
      allDay: entry.allDay,
      timezone: ZONE,
      stamp: entry.updatedAt,
      lastModified: entry.updatedAt,
      summary: entry.title,
      description: describe(config, entry),
      location: entry.location || null,
      url: eventUrl(config, entry.slug),
      status: entry.cancelled ? ICalEventStatus.CANCELLED
        : ICalEventStatus.CONFIRMED,
    });
  }

  return calendar.toString();
}
