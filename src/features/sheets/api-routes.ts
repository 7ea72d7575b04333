import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import { notFound } from "../../domain/errors.ts";
import { findPublishedSheets, getSheet, type SheetPage } from "./sheets.ts";
import { citationOf } from "./content-views.tsx";

const sheetSchema = Type.Object({
  slug: Type.String(), url: Type.String(), title: Type.String(),
  summary: Type.String(), authors: Type.Array(Type.String()),
  organisations: Type.Array(Type.String()),
  facilitator: Type.Union([Type.String(), Type.Null()]),
  themes: Type.Array(Type.String()), competences: Type.Array(Type.String()),
  tools: Type.Array(Type.String()), methods: Type.Array(Type.String()),
  territories: Type.Array(Type.String()),
  publishedAt: Type.String({ format: "date-time" }),
});
const sheetDetailSchema = Type.Composite([sheetSchema, Type.Object({
  sections: Type.Object({
    context: Type.String(), actors: Type.String(), actions: Type.String(),
    effects: Type.String(), difficulties: Type.String(),
    lessons: Type.String(),
  }, { description: "sections en Markdown" }),
  trajectory: Type.Array(Type.Object({ date: Type.String(),
    text: Type.String() })),
  citation: Type.String(),
})]);

/** The JSON API: published sheets only. */
export const sheetApiRoutes: FastifyPluginAsync = async (app) => {
  const urlOf = (slug: string) => `${app.config.baseUrl}/fiches/${slug}`;

  const present = (data: SheetPage) => ({
    slug: data.sheet.slug, url: urlOf(data.sheet.slug),
    title: data.sheet.title, summary: data.sheet.summary,
    authors: data.authors.map((a) => a.fullName),
    organisations: data.organisations.map((o) => o.name),
    facilitator: data.facilitator?.fullName ?? null,
    themes: data.sheet.themes, competences: data.sheet.competences,
    tools: data.sheet.tools, methods: data.sheet.methods,
    territories: data.territories.map((t) => t.label),
    publishedAt: data.sheet.publishedAt!.toISOString(),
  });
  app.get("/api/sheets", {
    schema: {
      tags: ["fiches"],
      summary: "Fiches d'expérience publiées, les plus récentes d'abord",
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500,
          default: 100 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }),
      response: { 200: Type.Array(sheetSchema) },
    },
  }, async (request) => {
    const q = request.query as { limit?: number; offset?: number };
    const ctx = { ...request.ctx(), actor: { kind: "visitor" as const } };
    const items = await findPublishedSheets(ctx, q);
    const pages = [];
    for (const item of items) pages.push(await getSheet(ctx, item.slug));

    return pages.map(present);
  });
  app.get("/api/sheets/:slug", {
    schema: {
      tags: ["fiches"],
      summary: "Une fiche d'expérience publiée, sections comprises",
      params: Type.Object({ slug: Type.String() }),
      response: { 200: sheetDetailSchema },
    },
  }, async (request) => {
    const { slug } = request.params as { slug: string };
    // The API shows what a visitor sees, whoever calls it.
    const ctx = { ...request.ctx(), actor: { kind: "visitor" as const } };
    const data = await getSheet(ctx, slug);
    if (data.sheet.status !== "published") throw notFound();
    const s = data.sheet;

    return {
      ...present(data),
      sections: { context: s.context, actors: s.actors, actions: s.actions,
        effects: s.effects, difficulties: s.difficulties,
        lessons: s.lessons },
      trajectory: s.trajectory,
      citation: citationOf(data, app.config.siteName, urlOf(s.slug)),
    };
  });
};
