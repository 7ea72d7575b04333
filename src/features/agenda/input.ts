import { DomainError, invalid } from "../../domain/errors.ts";
import {
  isCalendarDay, PARIS_GAP, parisParts, parisToInstant, readParisLocal,
} from "../../domain/time.ts";
import { normaliseRrule } from "./recurrence.ts";
import {
  EVENT_KINDS, EVENT_VISIBILITIES, type EventKind, type EventVisibility,
} from "./tables.ts";
import { isUuid } from "../../domain/ids.ts";

/** An event as a form or the command line gives it: text fields. */
export interface EventInput {
  title?: string;
  kind?: string;
  description?: string;
  hostOrganisationId?: string | null;
  /** Paris wall clock: "2026-03-10T10:00", or "2026-03-10" when all day. */
  start?: string;
  end?: string;
  allDay?: boolean | string;
  location?: string;
  videoUrl?: string | null;
  capacity?: string | number | null;
  registrationOpens?: string | null;
  registrationCloses?: string | null;
  visibility?: string;
  rrule?: string | null;
  /** Excluded dates of a recurring event, "2026-01-06", one per line. */
  exdates?: string | null;
}

/** An event's fields once checked, as they are stored. */
export interface EventValues {
  kind: EventKind;
  title: string;
  description: string;
  hostOrganisationId: string | null;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  location: string;
  videoUrl: string | null;
  capacity: number | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  visibility: EventVisibility;
  rrule: string | null;
  exdates: Date[];
}

/** More places than any gathering of the alliance; keeps within integer. */
export const MAX_CAPACITY = 100_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** Paris midnight of a "YYYY-MM-DD" day, plus some days. */
function parisDayStart(value: string, plusDays = 0): Date | null {
  const m = DAY.exec(value);
  if (!m || !isCalendarDay(+m[1], +m[2], +m[3])) return null;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3] + plusDays));
  if (Number.isNaN(date.getTime())) return null;

  return parisToInstant(date.getUTCFullYear(), date.getUTCMonth() + 1,
    date.getUTCDate());
}

/**
 * A Paris wall-clock field, or null with its French error set: the
 * `missing` message when it is blank or malformed, others when the day or
 * the hour does not exist.
 */
function readDate(
  value: unknown, errors: Record<string, string>, field: string,
  missing: string,
): Date | null {
  const read = readParisLocal(text(value));
  if (read.date) return read.date;
  errors[field] = read.problem === "gap" ? PARIS_GAP
    : read.problem === "date" ? "Date invalide." : missing;

  return null;
}

/** Why an all-day date could not be read. */
function dayProblem(value: string, which: "début" | "fin") {
  return DAY.test(value) ? "Date invalide."
    : which === "début" ? "Indiquez la date de début (jj/mm/aaaa)."
      : "Indiquez la date de fin.";
}

function isHttpUrl(value: string) {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * Checks an event's fields and reads its dates as Paris wall-clock times.
 * All-day events keep dates only and run from Paris midnight of the first
 * day to Paris midnight of the day after the last. Every problem is
 * reported at once, field by field, in French.
 */
export function parseEventInput(input: EventInput): EventValues {
  const errors: Record<string, string> = {};
  const title = text(input.title);
  if (!title) errors.title = "Indiquez un titre.";
  else if (title.length > 200) errors.title = "Le titre est trop long.";

  const kind = text(input.kind) as EventKind;
  if (!EVENT_KINDS.includes(kind)) errors.kind = "Choisissez un type.";
  const visibility = (text(input.visibility) || "public") as EventVisibility;
  if (!EVENT_VISIBILITIES.includes(visibility)) {
    errors.visibility = "Choisissez qui peut voir l'évènement.";
  }

  const allDay = input.allDay === true || input.allDay === "on"
    || input.allDay === "true" || input.allDay === "1";
  let startsAt: Date | null;
  let endsAt: Date | null;
  if (allDay) {
    startsAt = parisDayStart(text(input.start));
    endsAt = parisDayStart(text(input.end) || text(input.start), 1);
    if (!startsAt) errors.start = dayProblem(text(input.start), "début");
    if (!endsAt) {
      errors.end = dayProblem(text(input.end) || text(input.start), "fin");
    }
  } else {
    startsAt = readDate(input.start, errors, "start",
      "Indiquez la date de début (jj/mm/aaaa).");
    endsAt = readDate(input.end, errors, "end", "Indiquez la date de fin.");
  }
  if (startsAt && endsAt && endsAt <= startsAt) {
    errors.end = "La fin doit venir après le début.";
  }

  const videoUrl = text(input.videoUrl) || null;
  if (videoUrl && !isHttpUrl(videoUrl)) {
    errors.videoUrl = "Le lien de visioconférence doit commencer par https://.";
  }

  const rawCapacity = String(input.capacity ?? "").trim();
  const capacity = rawCapacity ? Number(rawCapacity) : null;
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1
    || capacity > MAX_CAPACITY)) {
    errors.capacity = "La capacité est un nombre entier de places, entre 1 " +
      "et 100 000.";
  }

  const registrationOpensAt = text(input.registrationOpens)
    ? readDate(input.registrationOpens, errors, "registrationOpens",
      "Date d'ouverture des inscriptions invalide.") : null;
  const registrationClosesAt = text(input.registrationCloses)
    ? readDate(input.registrationCloses, errors, "registrationCloses",
      "Date de clôture des inscriptions invalide.") : null;
  if (registrationOpensAt && registrationClosesAt
    && registrationClosesAt < registrationOpensAt) {
    errors.registrationCloses =
      "La clôture des inscriptions doit suivre leur ouverture.";
  }

  const host = text(input.hostOrganisationId) || null;
  if (host && !isUuid(host)) {
    errors.hostOrganisationId = "Structure d'accueil inconnue.";
  }

  let rrule: string | null = null;
  try {
    rrule = normaliseRrule(input.rrule);
  } catch (error) {
    // Whatever goes wrong reading a rule is a mistake in the rule.
    if (error instanceof DomainError && Object.keys(error.fields).length) {
      Object.assign(errors, error.fields);
    } else errors.rrule = "Cette règle RRULE n'est pas comprise.";
  }

  const exdates: Date[] = [];
  for (const day of text(input.exdates).split(/[\s,;]+/).filter(Boolean)) {
    const m = DAY.exec(day);
    const date = startsAt && m && isCalendarDay(+m[1], +m[2], +m[3])
      ? exdateOn(day, startsAt, allDay)
      : null;
    if (date) exdates.push(date);
    else errors.exdates = `Date exclue invalide : ${day} (aaaa-mm-jj).`;
  }

  if (Object.keys(errors).length > 0) {
    throw invalid("L'évènement n'a pas été enregistré : corrigez les champs " +
      "signalés.", errors);
  }

  return {
    kind, title, description: String(input.description ?? "").trim(),
    hostOrganisationId: host, startsAt: startsAt!, endsAt: endsAt!, allDay,
    location: text(input.location), videoUrl, capacity,
    registrationOpensAt, registrationClosesAt, visibility, rrule, exdates,
  };
}

/** An excluded day, at the start time of the event on that day. */
function exdateOn(day: string, startsAt: Date, allDay: boolean) {
  const m = DAY.exec(day)!;
  const p = parisParts(startsAt);

  return allDay ? parisToInstant(+m[1], +m[2], +m[3])
    : parisToInstant(+m[1], +m[2], +m[3], p.hour, p.minute);
}
