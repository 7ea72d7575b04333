import crypto from "node:crypto";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { notFound } from "../../domain/errors.ts";
import { parisParts, parisToInstant } from "../../domain/time.ts";
import { VersionedCache } from "../../db/versions.ts";
import { sendPage } from "../../web/render.tsx";
import { buildCalendar } from "./ical.ts";
import {
  findAgenda, findEventCalendar, findOccurrences, findPersonalCalendar,
  findPublicCalendar, getCalendarToken, getEventBySlug, isEventKind,
} from "./queries.ts";
import { findMyRegistrations } from "./registrations.ts";
import { EventPage, MyRegistrationsPage } from "./event-views.tsx";
import { AgendaPage, MonthPage } from "./views.tsx";

/** The built public feed and its ETag, kept until the agenda changes. */
const publicFeedCache = new VersionedCache<{ etag: string; body: string }>(
  ["events", "occurrences"]);

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

/** The calendar: its dates, a month, an event's page and the feeds. */
export const agendaRoutes: FastifyPluginAsync = async (app) => {
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
};
