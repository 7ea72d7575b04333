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

/**
 * The instant of a wall-clock time in Europe/Paris. In the autumn hour that
 * happens twice the first one is taken; a time skipped in spring moves
 * forward by the gap, as calendar programs do.
 */
export function parisToInstant(
  year: number, month: number, day: number, hour = 0, minute = 0, second = 0,
): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = guess - parisOffsetMinutes(new Date(guess)) * 60000;
  const second_ = guess - parisOffsetMinutes(new Date(first)) * 60000;

  return new Date(Math.min(first, second_));
}

/** Reads "2026-12-10T18:30" (an HTML datetime-local value) as Paris time. */
export function parseParisLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/
    .exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0"] = m;
  const date = parisToInstant(+y, +mo, +d, +h, +mi, +s);
  if (Number.isNaN(date.getTime())) return null;

  return date;
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
