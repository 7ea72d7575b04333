import type { FastifyPluginAsync } from "fastify";
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { invalid } from "../../domain/errors.ts";
import { isCalendarDay, parisToInstant } from "../../domain/time.ts";
import { eventUrl } from "./ical.ts";
import { findOccurrences } from "./queries.ts";
import { EVENT_KINDS, type EventKind } from "./tables.ts";

/** A range bound of the API: a day (Paris midnight) or an ISO instant. */
function parseBound(value: string | undefined, name: string): Date | undefined {
  if (!value) return undefined;
  // The day part is checked by hand: Date would read 30 February as 2 March.
  const day = new RegExp("^(\\d{4})-(\\d{2})-(\\d{2})"
    + "(T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:\\d{2}))?$")
    .exec(value);
  const exists = day !== null && isCalendarDay(+day[1], +day[2], +day[3]);
  const date = !exists ? new Date(Number.NaN) : day[4] ? new Date(value)
    : parisToInstant(+day[1], +day[2], +day[3]);
  if (Number.isNaN(date.getTime())) {
    throw invalid(`Paramètre ${name} invalide : une date aaaa-mm-jj ou ISO 8601.`);
  }

  return date;
}

const Kind = Type.Unsafe<EventKind>({ type: "string", enum: [...EVENT_KINDS] });

const ApiOccurrence = Type.Object({
  id: Type.String({ format: "uuid" }),
  eventSlug: Type.String(),
  title: Type.String(),
  kind: Kind,
  startsAt: Type.String({ format: "date-time" }),
  endsAt: Type.String({ format: "date-time" }),
  allDay: Type.Boolean(),
  location: Type.String(),
  online: Type.Boolean(),
  url: Type.String(),
  cancelled: Type.Boolean(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  placesLeft: Type.Union([Type.Integer(), Type.Null()]),
  hostOrganisation: Type.Union([Type.String(), Type.Null()]),
});

/** The agenda's dates for other programs, as JSON. */
export const agendaApiRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/api/events", {
    schema: {
      tags: ["agenda"],
      summary: "Dates de l'agenda dans une période",
      description: "Les évènements réservés aux allié·es n'apparaissent " +
        "qu'aux personnes connectées ; le lien de visioconférence n'est " +
        "jamais donné.",
      querystring: Type.Object({
        from: Type.Optional(Type.String({ description:
          "Début de la période (aaaa-mm-jj, heure de Paris, ou ISO 8601) ; " +
          "maintenant par défaut." })),
        to: Type.Optional(Type.String({ description: "Fin de la période." })),
        kind: Type.Optional(Kind),
      }),
      response: { 200: Type.Object({ occurrences: Type.Array(ApiOccurrence) }) },
    },
  }, async (request) => {
    const ctx = request.ctx();
    const from = parseBound(request.query.from, "from") ?? ctx.now();
    const to = parseBound(request.query.to, "to");
    const rows = await findOccurrences(ctx, { from, to,
      kind: request.query.kind, limit: 1000 });

    return {
      occurrences: rows.map((row) => ({
        id: row.id, eventSlug: row.slug, title: row.title, kind: row.kind,
        startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(),
        allDay: row.allDay, location: row.location, online: row.online,
        url: eventUrl(ctx.config, row.slug), cancelled: row.cancelled,
        capacity: row.capacity,
        placesLeft: row.capacity === null ? null
          : Math.max(0, row.capacity - row.confirmedCount),
        hostOrganisation: row.hostName,
      })),
    };
  });
};
