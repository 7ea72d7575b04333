/** Every date Atelier shows or reads from a form is in this zone. */
export const ZONE = "Europe/Paris";

const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit",
  day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
});

/** Wall-clock parts of an instant in Europe/Paris. */
export function parisParts(date: Date) {
  const parts: Record<string, number> = {};
  for (const p of partsFormat.formatToParts(date)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }

  return parts as {
    year: number; month: number; day: number;
    hour: number; minute: number; second: number;
  };
}

/** Offset of Europe/Paris from UTC at an instant, in minutes. */
export function parisOffsetMinutes(date: Date): number {
  const p = parisParts(date);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);

  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

const DAY_MS = 86_400_000;

/** A wall-clock time of Europe/Paris written as if it were UTC. */
function wallClock(instant: number): number {
  const p = parisParts(new Date(instant));

  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/**
 * The instant of a wall-clock time in Europe/Paris. Out-of-range parts
 * roll over (day 32 is the 1st of the next month), which callers adding
 * days rely on. In the autumn hour that happens twice the first one is
 * taken; a time skipped in spring is read with the offset from before the
 * change, so it moves forward by the gap, as RFC 5545 and calendar
 * programs do.
 */
export function parisToInstant(
  year: number, month: number, day: number, hour = 0, minute = 0, second = 0,
): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(guess)) return new Date(Number.NaN);
  // A day either side is always clear of a change of the clocks.
  const before = parisOffsetMinutes(new Date(guess - DAY_MS));
  const after = parisOffsetMinutes(new Date(guess + DAY_MS));
  const matching = [guess - before * 60000, guess - after * 60000]
    .filter((t) => wallClock(t) === guess);

  return new Date(matching.length > 0 ? Math.min(...matching)
    : guess - before * 60000);
}

/** Whether a calendar day exists: 30 February does not. */
export function isCalendarDay(year: number, month: number, day: number) {
  const date = new Date(Date.UTC(year, month - 1, day));

  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1
    && date.getUTCDate() === day;
}

/**
 * What is wrong with a Paris wall-clock value: "format" when it is not
 * "aaaa-mm-jj[Thh:mm[:ss]]", "date" when the day or time does not exist
 * on the calendar, "gap" when the clocks skip that time (spring change).
 */
export type ParisLocalProblem = "format" | "date" | "gap";

/** Why a time skipped by the spring clock change cannot be chosen. */
export const PARIS_GAP = "Cette heure n'existe pas à Paris ce jour-là "
  + "(passage à l'heure d'été) : choisissez une autre heure.";

/** Reads "2026-12-10T18:30" as Paris time, or says why it cannot. */
export function readParisLocal(value: string):
  { date: Date; problem?: undefined } | { date?: undefined; problem: ParisLocalProblem } {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/
    .exec(value.trim());
  if (!m) return { problem: "format" };
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0));
  if (!isCalendarDay(y, mo, d) || h > 23 || mi > 59 || s > 59) {
    return { problem: "date" };
  }
  const date = parisToInstant(y, mo, d, h, mi, s);
  if (Number.isNaN(date.getTime())) return { problem: "date" };
  // Converted back, a skipped time shows another hour than the one typed.
  if (wallClock(date.getTime()) !== Date.UTC(y, mo - 1, d, h, mi, s)) {
    return { problem: "gap" };
  }

  return { date };
}

/**
 * Reads "2026-12-10T18:30" (an HTML datetime-local value) as Paris time;
 * null when it is malformed, does not exist on the calendar or falls in
 * the hour skipped in spring.
 */
export function parseParisLocal(value: string): Date | null {
  return readParisLocal(value).date ?? null;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The datetime-local value of an instant, in Paris time. */
export function toParisLocal(date: Date): string {
  const p = parisParts(date);

  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** "2026-12-10", the Paris calendar day of an instant. */
export function parisDay(date: Date): string {
  const p = parisParts(date);

  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}
