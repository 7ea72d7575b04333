import fs from "node:fs";
import path from "node:path";
import type { FastifyPluginAsync } from "fastify";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { requirePerson } from "../../domain/context.ts";
import { notFound } from "../../domain/errors.ts";
import { sendPage } from "../../web/render.tsx";
import { findInitiativeBadges, initiativeFilters } from "./extensions.ts";
import { initiativesAtom, initiativesRss } from "./feed.ts";
import { findInitiativeHistory } from "./history.ts";
import { imagesDir, isImageFileName } from "./images.ts";
import { getInitiative, getInitiativeBySlug } from "./initiative-detail.ts";
import { findMyInitiatives } from "./initiative-lists.ts";
import { InitiativePage } from "./initiative-views.tsx";
import { findMyPoolingContacts } from "./pooling-opportunities.ts";
import { findInitiatives, findInitiativeThemes } from "./search.ts";
import {
  findTerritoriesByIds, resolveTerritories,
} from "./territory-input.ts";
import {
  InitiativeListPage, MyInitiativesPage, type ListQuery,
} from "./views.tsx";

const PAGE_SIZE = 30;

/** The list and its feeds, one's own initiatives, a page and its image. */
export const initiativeRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: ListQuery }>("/initiatives",
    async (request, reply) => {
      const ctx = request.ctx();
      const q = request.query;
      const page = Math.max(1, Number(q.page) || 1);
      let territory = null;
      let territoryChoices: Awaited<ReturnType<typeof findTerritoriesByIds>>
        = [];
      if (q.territoire?.trim()) {
        const found = await resolveTerritories(ctx.db, [q.territoire.trim()]);
        if (found.ids.length) {
          [territory] = await findTerritoriesByIds(ctx.db, found.ids);
        }
        territoryChoices = found.ambiguous[0]?.candidates ?? [];
      }
      const extra = Object.fromEntries(initiativeFilters()
        .map((f) => [f.param, q[f.param]]));
      const unknownPlace = !!q.territoire?.trim() && !territory;
      const result = unknownPlace ? { items: [], total: 0 }
        : await findInitiatives(ctx, {
          q: q.q, theme: q.theme || undefined, territory: territory?.id,
          stage: q.stage || undefined, carrierKind: q.kind || undefined,
          extra, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE,
        });
      const extraFilters = await Promise.all(initiativeFilters()
        .map(async (filter) => ({ filter, options: await filter.options(ctx) })));
      const badges = await findInitiativeBadges(ctx,
        result.items.map((i) => i.id));
      const themes = await findInitiativeThemes(ctx);

      return sendPage(request, reply, "Initiatives", () => (
        <InitiativeListPage query={q} items={result.items}
          total={result.total} page={page} pageSize={PAGE_SIZE}
          themes={themes} territory={territory ?? null}
          territoryChoices={territoryChoices} extraFilters={extraFilters}
          badges={badges} signedIn={ctx.actor.kind === "person"} />
      ));
    });

  app.get("/initiatives/flux.xml", async (request, reply) => {
    const { items } = await findInitiatives(request.ctx(), { limit: 50 });

    return reply.type("application/rss+xml; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .send(initiativesRss(app.config, items));
  });

  app.get("/initiatives/flux.atom", async (request, reply) => {
    const { items } = await findInitiatives(request.ctx(), { limit: 50 });

    return reply.type("application/atom+xml; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .send(initiativesAtom(app.config, items));
  });

  app.get<{ Params: { slug: string } }>("/initiatives/:slug",
    async (request, reply) => {
      const ctx = request.ctx();
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      const history = detail.canEdit
        ? await findInitiativeHistory(ctx, detail.initiative.id) : [];
      const badges = (await findInitiativeBadges(ctx,
        [detail.initiative.id])).get(detail.initiative.id) ?? [];

      return sendPage(request, reply, detail.initiative.title, (page) => (
        <InitiativePage page={page} detail={detail} history={history}
          badges={badges} />
      ));
    });

  app.get<{ Params: { file: string } }>("/fichiers/initiatives/:file",
    async (request, reply) => {
      const { file } = request.params;
      if (!isImageFileName(file)) throw notFound();
      const [row] = await query<{ id: string; contentType: string;
        status: string }>(app.database.db, sql`select id, status,
        image_content_type as "contentType" from initiatives
        where image_file = ${file}`);
      if (!row) throw notFound();
      const published = row.status === "published" || row.status === "archived";
      // Images of drafts are for those who may see the draft.
      if (!published) await getInitiative(request.ctx(), row.id);
      const full = path.join(imagesDir(app.config), file);
      if (!fs.existsSync(full)) throw notFound();

      return reply.type(row.contentType)
        .header("x-content-type-options", "nosniff")
        .header("content-disposition", "inline")
        .header("cache-control", published
          ? "public, max-age=31536000, immutable" : "private, no-store")
        .send(fs.createReadStream(full));
    });

  app.get("/mes-initiatives", async (request, reply) => {
    const ctx = request.ctx();
    requirePerson(ctx.actor);
    const items = await findMyInitiatives(ctx);
    const contacts = await findMyPoolingContacts(ctx);

    return sendPage(request, reply, "Mes initiatives", () => (
      <MyInitiativesPage items={items} contacts={contacts} />));
  });
};
