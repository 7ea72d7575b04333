import { ZONE } from "../domain/time.ts";

// Every formatter names the zone: a visitor's own time zone never shows.
const dateTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: ZONE, dateStyle: "full", timeStyle: "short",
});
const dateOnly = new Intl.DateTimeFormat("fr-FR", {
  timeZone: ZONE, dateStyle: "full",
});
const shortDate = new Intl.DateTimeFormat("fr-FR", {
  timeZone: ZONE, day: "numeric", month: "short", year: "numeric",
});
const timeOnly = new Intl.DateTimeFormat("fr-FR", {
  timeZone: ZONE, timeStyle: "short",
});

export const formatDateTime = (d: Date) => dateTime.format(d);
export const formatDate = (d: Date) => dateOnly.format(d);
export const formatShortDate = (d: Date) => shortDate.format(d);
export const formatTime = (d: Date) => timeOnly.format(d);

/** "3 places" / "1 place", never below zero. */
export function formatPlacesLeft(left: number): string {
  const n = Math.max(0, left);
  if (n === 0) return "Complet";

  return n === 1 ? "1 place restante" : `${n} places restantes`;
}
