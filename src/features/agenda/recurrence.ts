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

/** Rhythms an event may repeat at: its time of day stays the one given. */
export const FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"];

/**
 * Parts a rule may carry. BYHOUR, BYMINUTE and BYSECOND are left out: the
 * start of the event gives the time, and every date keeps it.
 */
const PARTS = new Set(["FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY",
  "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"]);

const refuse = (field: string) => invalid("La règle de récurrence est " +
  "invalide.", { rrule: field });

/**
 * "RRULE:FREQ=…" or "FREQ=…" as the bare rule, or null when blank. Only
 * the value of one RRULE line is accepted: no other property (DTSTART…),
 * no second line, a daily to yearly rhythm.
 */
export function normaliseRrule(text: string | null | undefined): string | null {
  const rule = (text ?? "").trim().replace(/^RRULE:/i, "").toUpperCase();
  if (!rule) return null;
  const parts = rule.split(";")
    .map((part) => /^([A-Z]+)=([A-Z0-9,+-]+)$/.exec(part));
  const keys = parts.map((m) => m?.[1] ?? "");
  if (parts.some((m) => !m) || keys.some((k) => !PARTS.has(k))
    || new Set(keys).size !== keys.length || !keys.includes("FREQ")) {
    throw refuse("Indiquez seulement la valeur d'une règle RRULE, par " +
      "exemple FREQ=MONTHLY;BYDAY=1TU.");
  }
  const values = Object.fromEntries(parts.map((m) => [m![1], m![2]]));
  if (!FREQUENCIES.includes(values.FREQ)) {
    throw refuse("La fréquence doit être DAILY, WEEKLY, MONTHLY ou YEARLY " +
      "(chaque jour, semaine, mois ou année).");
  }
  for (const key of ["COUNT", "INTERVAL"]) {
    if (key in values && !/^[1-9]\d{0,3}$/.test(values[key])) {
      throw refuse(`${key} doit être un nombre entier entre 1 et 9999.`);
    }
  }
  try {
    // Building the rule and asking for a date is what finds bad values.
    const options = RRule.parseString(rule);
    new RRule({ ...options, dtstart: new Date(Date.UTC(2000, 0, 1)) })
      .after(new Date(Date.UTC(2000, 0, 1)), true);
  } catch {
    throw refuse("Cette règle RRULE n'est pas comprise.");
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
