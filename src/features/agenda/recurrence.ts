import * as rruleNamespace from "rrule";
import { invalid } from "../../domain/errors.ts";
import { parisParts, parisToInstant } from "../../domain/time.ts";

// rrule ships CommonJS: depending on the loader its exports are named or
// hang off the default export.
const rrule: typeof rruleNamespace = (rruleNamespace as any).RRule
  ? rruleNamespace : (rruleNamespace as any).default;
const { RRule } = rrule;

/** How far ahead a rule without end is materialised. */
export const HORIZON_YEARS = 2;
export const MAX_OCCURRENCES = 200;

export interface Slot {
  startsAt: Date;
  endsAt: Date;
}

/** "RRULE:FREQ=…" or "FREQ=…" as the bare rule, or null when blank. */
export function normaliseRrule(text: string | null | undefined): string | null {
  const rule = (text ?? "").trim().replace(/^RRULE:/i, "").toUpperCase();
  if (!rule) return null;
  if (/(^|;)DTSTART/.test(rule) || !/(^|;)FREQ=/.test(rule)) {
    throw invalid("La règle de récurrence est invalide.",
      { rrule: "Indiquez une règle RRULE, par exemple FREQ=MONTHLY;BYDAY=1TU." });
  }
  try {
    RRule.parseString(rule);
  } catch {
    throw invalid("La règle de récurrence est invalide.",
      { rrule: "Cette règle RRULE n'est pas comprise." });
  }

  return rule;
}

/** The Paris wall-clock of an instant, written as if it were UTC. */
const floating = (date: Date) => {
  const p = parisParts(date);

  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute,
    p.second));
};

const fromFloating = (date: Date) => parisToInstant(date.getUTCFullYear(),
  date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(),
  date.getUTCMinutes(), date.getUTCSeconds());

/**
 * The dates of an event. A rule is expanded on the Paris wall clock, so a
 * permanence at 10:00 stays at 10:00 when the clocks change; every
 * occurrence lasts as long as the first one. Excluded instants are
 * dropped. Open rules stop two years ahead, and never beyond 200 dates.
 */
export function expandOccurrences(event: {
  startsAt: Date; endsAt: Date; allDay: boolean; rrule: string | null;
  exdates: Date[];
}, now: Date): Slot[] {
  if (!event.rrule) return [{ startsAt: event.startsAt, endsAt: event.endsAt }];

  const options = RRule.parseString(event.rrule);
  // UNTIL in UTC ("…Z") is an instant: bring it to the Paris wall clock;
  // without "Z" it already is a wall-clock time.
  if (options.until && /UNTIL=[0-9T]+Z/.test(event.rrule)) {
    options.until = floating(options.until);
  }
  const start = floating(event.startsAt);
  const rule = new RRule({ ...options, dtstart: start });
  const base = Math.max(event.startsAt.getTime(), now.getTime());
  const horizon = new Date(base);
  horizon.setUTCFullYear(horizon.getUTCFullYear() + HORIZON_YEARS);
  const limit = floating(horizon);
  const excluded = new Set(event.exdates.map((d) => d.getTime()));
  const slots: Slot[] = [];

  rule.all((date, index) => {
    if (date > limit || index >= MAX_OCCURRENCES * 2) return false;
    const startsAt = fromFloating(date);
    if (!excluded.has(startsAt.getTime())) {
      slots.push({ startsAt, endsAt: shiftEnd(event, date) });
    }

    return slots.length < MAX_OCCURRENCES;
  });

  return slots;
}

/** The end of an occurrence: same wall-clock length as the first one. */
function shiftEnd(event: { startsAt: Date; endsAt: Date }, start: Date) {
  const length = floating(event.endsAt).getTime()
    - floating(event.startsAt).getTime();

  return fromFloating(new Date(start.getTime() + length));
}
