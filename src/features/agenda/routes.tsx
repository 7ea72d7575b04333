import crypto from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { DomainError, invalid, notFound } from "../../domain/errors.ts";
import {
  isCalendarDay, parisDay, parisParts, parisToInstant, toParisLocal,
} from "../../domain/time.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { findParticipationHistory, getAttendanceSheet, recordAttendance }
  from "./attendance.ts";
import {
  assertCanManage, cancelEvent, createEvent, updateEvent, type EventRow,
} from "./events.ts";
import { buildCalendar, eventUrl } from "./ical.ts";
import { importIcs } from "./import.ts";
import {
  findAgenda, findEventCalendar, findHostChoices, findOccurrences,
  findPersonalCalendar, findPublicCalendar, getCalendarToken,
  getEventBySlug, getEventForEdit, isEventKind,
} from "./queries.ts";
import {
  cancelRegistration, findMyRegistrations, registerForOccurrence,
} from "./registrations.ts";
import { EVENT_KINDS, type EventKind } from "./tables.ts";
import {
  AgendaPage, AttendancePage, EventForm, EventPage, ImportPage,
  MonthPage, MyRegistrationsPage, ParticipationPage, type EventFormValues,
} from "./views.tsx";
import { requirePerson } from "../../domain/context.ts";
import { VersionedCache } from "../../db/versions.ts";

/** The built public feed and its ETag, kept until the agenda changes. */
const publicFeedCache = new VersionedCache<{ etag: string; body: string }>(
  ["events", "occurrences"]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = (value: string) => {
  if (!UUID.test(value)) throw notFound();

  return value;
};

type Form = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) ?? "";
const many = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []);

/** The form's text fields, as they were typed. */
function formValues(body: Form): Partial<EventFormValues> {
  const names = ["title", "kind", "description", "hostOrganisationId",
    "start", "end", "allDay", "location", "videoUrl", "capacity",
    "registrationOpens", "registrationCloses", "visibility", "rrule",
    "exdates", "version", "cancelRemoved"] as const;

  return Object.fromEntries(names.map((n) => [n, one(body[n])]));
}

/** An event's stored fields in the form's Paris wall-clock terms. */
function eventFormValues(event: EventRow): Partial<EventFormValues> {
  const lastDay = new Date(event.endsAt.getTime() - 12 * 3600_000);

  return {
    title: event.title, kind: event.kind, description: event.description,
    hostOrganisationId: event.hostOrganisationId ?? "",
    allDay: event.allDay ? "on" : "",
    start: event.allDay ? parisDay(event.startsAt) : toParisLocal(event.startsAt),
    end: event.allDay ? parisDay(lastDay) : toParisLocal(event.endsAt),
    location: event.location, videoUrl: event.videoUrl ?? "",
    capacity: event.capacity === null ? "" : String(event.capacity),
    registrationOpens: event.registrationOpensAt
      ? toParisLocal(event.registrationOpensAt) : "",
    registrationCloses: event.registrationClosesAt
      ? toParisLocal(event.registrationClosesAt) : "",
    visibility: event.visibility, rrule: event.rrule ?? "",
    exdates: event.exdates.map(parisDay).join(" "),
    version: String(event.version),
  };
}

/** Only a path inside the agenda, never elsewhere. */
const safeNext = (value: string, fallback: string) =>
  /^\/agenda(\/[\w\-./]*)?$/.test(value) ? value : fallback;

function sendCalendar(reply: FastifyReply, body: string, filename: string) {
  return reply.type("text/calendar; charset=utf-8")
    .header("content-disposition", `inline; filename="${filename}"`)
    .header("cache-control", "no-cache")
    .send(body);
}

const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin",
  "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
const monthKey = (year: number, month: number) => {
  const d = new Date(Date.UTC(year, month - 1, 1));

  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
};

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

export const agendaRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/agenda", async (request, reply) => {
    const query = request.query as { type?: string; kind?: string;
      periode?: string };
    const kind = isEventKind(query.kind) ? query.kind : undefined;
    const past = query.periode === "passe";
    const ctx = request.ctx();
    const items = await findAgenda(ctx, { kind, past });
    const p = parisParts(ctx.now());

    return sendPage(request, reply, past ? "Agenda : dates passées" : "Agenda",
      (page) => <AgendaPage page={page} items={items} kind={kind}
        past={past} month={monthKey(p.year, p.month)} />);
  });

  // The public feed is polled often by calendar programs and is the same
  // for everyone: it is built again only when an event or a date changed.
  app.get("/agenda.ics", async (request, reply) => {
    const ctx = request.ctx();
    const publicFeed = await publicFeedCache.get(ctx.db, "public", 1,
      async () => {
        const body = buildCalendar(request.server.config,
          `Agenda · ${request.server.config.siteName}`,
          await findPublicCalendar(ctx));
        const etag = `"${crypto.createHash("sha256").update(body)
          .digest("base64url").slice(0, 27)}"`;

        return { etag, body };
      });
    reply.header("etag", publicFeed.etag);
    if (request.headers["if-none-match"] === publicFeed.etag) {
      return reply.code(304).send();
    }

    return sendCalendar(reply, publicFeed.body, "agenda.ics");
  });

  app.get("/agenda/mois/:month", async (request, reply) => {
    const { month } = request.params as { month: string };
    const m = /^(\d{4})-(\d{2})$/.exec(month);
    if (!m || +m[2] < 1 || +m[2] > 12) throw notFound();
    const [year, number] = [+m[1], +m[2]];
    const items = await findOccurrences(request.ctx(), {
      from: parisToInstant(year, number, 1),
      to: parisToInstant(year, number + 1, 1), limit: 2000 });
    const label = `${MONTHS[number - 1]} ${year}`;

    return sendPage(request, reply, `Agenda : ${label}`, () => (
      <MonthPage year={year} month={number} items={items} label={label}
        previous={monthKey(year, number - 1)} next={monthKey(year, number + 1)} />
    ));
  });

  app.get("/agenda/mes-inscriptions", async (request, reply) => {
    const ctx = request.ctx();
    const person = requirePerson(ctx.actor);
    const items = await findMyRegistrations(ctx);
    const token = await getCalendarToken(ctx, person.id);
    const feedUrl = `${ctx.config.baseUrl}/agenda/flux/${token}.ics`;

    return sendPage(request, reply, "Mes inscriptions", (page) => (
      <MyRegistrationsPage page={page} items={items} feedUrl={feedUrl}
        now={ctx.now()} />));
  });

  app.get("/agenda/flux/:file", async (request, reply) => {
    const { file } = request.params as { file: string };
    const token = file.replace(/\.ics$/, "");
    const calendar = await findPersonalCalendar(request.ctx(), token);

    return sendCalendar(reply.header("x-robots-tag", "noindex"),
      buildCalendar(request.server.config, `Agenda de ${calendar.name}`,
        calendar.entries), "agenda.ics");
  });

  const showForm = async (
    request: FastifyRequest, reply: FastifyReply, action: string,
    values: Partial<EventFormValues>, editing: boolean,
    error?: DomainError,
  ) => {
    const hosts = await findHostChoices(request.ctx());

    return sendPage(request, reply, editing ? "Modifier l'évènement"
      : "Nouvel évènement", (page) => (
      <EventForm page={page} action={action} values={values} hosts={hosts}
        editing={editing} message={error?.message}
        fields={error && Object.keys(error.fields).length
          ? error.fields : undefined} />
    ), error ? (error.code === "conflict" ? 409 : 400) : 200);
  };
  const formError = (error: unknown) => error instanceof DomainError
    && (error.code === "invalid" || error.code === "conflict");

  app.get("/agenda/nouveau", async (request, reply) => {
    assertCanManage(request.ctx());

    return showForm(request, reply, "/agenda/nouveau",
      { kind: "meetup", visibility: "public" }, false);
  });

  app.post("/agenda/nouveau", async (request, reply) => {
    const body = request.body as Form;
    try {
      const event = await createEvent(request.ctx(), formValues(body));
      return redirectWithFlash(reply, `/agenda/${event.slug}`,
        "Évènement créé.");
    } catch (error) {
      if (!formError(error)) throw error;
      return showForm(request, reply, "/agenda/nouveau", formValues(body),
        false, error as DomainError);
    }
  });

  app.get("/agenda/:slug", async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const ctx = request.ctx();
    if (slug.endsWith(".ics")) {
      const calendar = await findEventCalendar(ctx, slug.slice(0, -4));
      return sendCalendar(reply, buildCalendar(ctx.config, calendar.title,
        calendar.entries), slug);
    }
    const data = await getEventBySlug(ctx, slug);

    return sendPage(request, reply, data.event.title, (page) => (
      <EventPage page={page} data={data} now={ctx.now()} />));
  });

  app.get("/agenda/:slug/modifier", async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const ctx = request.ctx();
    assertCanManage(ctx);
    const event = await getEventForEdit(ctx, slug);

    return showForm(request, reply, `/agenda/${slug}/modifier`,
      eventFormValues(event), true);
  });

  app.post("/agenda/:slug/modifier", async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const body = request.body as Form;
    const ctx = request.ctx();
    assertCanManage(ctx);
    const event = await getEventForEdit(ctx, slug);
    const values = formValues(body);
    try {
      const saved = await updateEvent(ctx, { ...values, id: event.id,
        version: values.version ?? "" });
      return redirectWithFlash(reply, `/agenda/${saved.slug}`,
        "Évènement modifié.");
    } catch (error) {
      if (!formError(error)) throw error;
      return showForm(request, reply, `/agenda/${slug}/modifier`, values,
        true, error as DomainError);
    }
  });

  app.post("/agenda/:slug/annuler", async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const ctx = request.ctx();
    assertCanManage(ctx);
    const event = await getEventForEdit(ctx, slug);
    await cancelEvent(ctx, { id: event.id });

    return redirectWithFlash(reply, `/agenda/${slug}`,
      "Évènement annulé ; les personnes inscrites sont prévenues.");
  });

  // Registration errors (full window, already registered…) come back as a
  // message on the page the person came from.
  const registrationAction = (
    action: (request: FastifyRequest, occurrenceId: string) => Promise<string>,
  ) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { occurrenceId } = request.params as { occurrenceId: string };
    const next = safeNext(one((request.body as Form)?.suite),
      "/agenda/mes-inscriptions");
    requirePerson(request.actor);
    try {
      return redirectWithFlash(reply, next,
        await action(request, uuid(occurrenceId)));
    } catch (error) {
      if (!formError(error)) throw error;
      return redirectWithFlash(reply, next, (error as Error).message);
    }
  };

  app.post("/agenda/dates/:occurrenceId/inscription", registrationAction(
    async (request, occurrenceId) => {
      const result = await registerForOccurrence(request.ctx(),
        { occurrenceId });
      return result.status === "confirmed"
        ? "Inscription confirmée : un e-mail de confirmation vous est envoyé."
        : "Cette date est complète : vous êtes sur la liste d'attente.";
    }));

  app.post("/agenda/dates/:occurrenceId/annulation", registrationAction(
    async (request, occurrenceId) => {
      await cancelRegistration(request.ctx(), { occurrenceId });
      return "Inscription annulée.";
    }));

  const showSheet = async (
    request: FastifyRequest, reply: FastifyReply, message?: string,
  ) => {
    const { slug, occurrenceId } = request.params as { slug: string;
      occurrenceId: string };
    const sheet = await getAttendanceSheet(request.ctx(), uuid(occurrenceId));
    if (sheet.event.slug !== slug) throw notFound();

    return sendPage(request, reply, `Présences : ${sheet.event.title}`,
      (page) => <AttendancePage page={page} sheet={sheet} message={message}
        action={`/agenda/${slug}/presences/${occurrenceId}`} />,
      message ? 400 : 200);
  };

  app.get("/agenda/:slug/presences/:occurrenceId", (request, reply) =>
    showSheet(request, reply));

  app.post("/agenda/:slug/presences/:occurrenceId", async (request, reply) => {
    const { slug, occurrenceId } = request.params as { slug: string;
      occurrenceId: string };
    const body = request.body as Form;
    const newcomers = new Set(many(body.new));
    const present = many(body.present).map((personId) => ({
      personId, newToAlliance: newcomers.has(personId) }));
    const added = one(body.add);
    if (added) present.push({ personId: added, newToAlliance:
      one(body.addNew) === "on" });
    try {
      if (present.some((p) => !UUID.test(p.personId))) {
        throw invalid("Une des personnes indiquées n'existe pas.");
      }
      const count = await recordAttendance(request.ctx(), {
        occurrenceId: uuid(occurrenceId), present });
      return redirectWithFlash(reply,
        `/agenda/${slug}/presences/${occurrenceId}`,
        `Feuille de présence enregistrée : ${count} personne(s).`);
    } catch (error) {
      if (!formError(error)) throw error;
      return showSheet(request, reply, (error as Error).message);
    }
  });

  app.get("/agenda/participations/personnes/:id", async (request, reply) => {
    const { id } = request.params as { id: string };
    const history = await findParticipationHistory(request.ctx(),
      { personId: uuid(id) });

    return sendPage(request, reply, `Participations : ${history.name}`,
      () => <ParticipationPage {...history} />);
  });

  app.get("/agenda/participations/structures/:id", async (request, reply) => {
    const { id } = request.params as { id: string };
    const history = await findParticipationHistory(request.ctx(),
      { organisationId: uuid(id) });

    return sendPage(request, reply, `Participations : ${history.name}`,
      () => <ParticipationPage {...history} />);
  });

  app.get("/admin/agenda/import", async (request, reply) => {
    assertCanManage(request.ctx());

    return sendPage(request, reply, "Importer un agenda",
      (page) => <ImportPage page={page} />);
  });

  app.post("/admin/agenda/import", async (request, reply) => {
    const ctx = request.ctx();
    assertCanManage(ctx);
    const file = await request.file();
    const text = file ? (await file.toBuffer()).toString("utf8") : "";
    try {
      if (!text.trim()) throw invalid("Choisissez un fichier .ics.");
      const report = await importIcs(ctx, text);
      return sendPage(request, reply, "Importer un agenda",
        (page) => <ImportPage page={page} report={report} />);
    } catch (error) {
      if (!formError(error)) throw error;
      return sendPage(request, reply, "Importer un agenda", (page) => (
        <ImportPage page={page} message={(error as Error).message} />), 400);
    }
  });

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
