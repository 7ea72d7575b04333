import type { FastifyPluginAsync } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { notFound } from "../../domain/errors.ts";
import { findInitiativeBadges, initiativeFilters } from "./extensions.ts";
import { getInitiative } from "./initiative-detail.ts";
import { findPoolingSuggestions } from "./pooling-suggestions.ts";
import {
  InitiativeDetailSchema, InitiativeListSchema, presentInitiative,
  presentSuggestion, presentSummary, SuggestionListSchema,
} from "./present.ts";
import { findInitiatives } from "./search.ts";

const ListQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  theme: Type.Optional(Type.String({ maxLength: 100 })),
  territory: Type.Optional(Type.String({ maxLength: 40,
    description: "Id de territoire (commune-62528, departement-62…)" })),
  stage: Type.Optional(Type.String({ maxLength: 20 })),
  carrierKind: Type.Optional(Type.String({ maxLength: 30 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: true });

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

/** The public JSON API of initiatives. */
export const initiativeApiRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof ListQuerySchema> }>("/api/initiatives", {
    schema: {
      tags: ["initiatives"],
      summary: "Initiatives publiées, avec recherche et filtres",
      querystring: ListQuerySchema,
      response: { 200: InitiativeListSchema },
    },
  }, async (request) => {
    const ctx = request.ctx();
    const q = request.query as Record<string, any>;
    const result = await findInitiatives(ctx, {
      q: q.q, theme: q.theme, territory: q.territory, stage: q.stage,
      carrierKind: q.carrierKind, limit: q.limit ?? 30, offset: q.offset ?? 0,
      extra: Object.fromEntries(initiativeFilters()
        .map((f) => [f.param, q[f.param]])),
    });
    const badges = await findInitiativeBadges(ctx, result.items.map((i) => i.id));

    return {
      total: result.total,
      items: result.items.map((item) => presentSummary(app.config, item,
        badges.get(item.id) ?? [])),
    };
  });

  app.get<{ Params: Static<typeof IdParams> }>("/api/initiatives/:id", {
    schema: {
      tags: ["initiatives"],
      summary: "Une initiative publiée",
      params: IdParams,
      response: { 200: InitiativeDetailSchema },
    },
  }, async (request) => {
    // The API is public: drafts are not found, whoever asks.
    const ctx = { ...request.ctx(), actor: { kind: "visitor" as const } };
    const detail = await getInitiative(ctx, request.params.id);
    if (detail.initiative.status !== "published") throw notFound();
    const badges = await findInitiativeBadges(ctx, [detail.initiative.id]);

    return presentInitiative(app.config, detail,
      badges.get(detail.initiative.id) ?? []);
  });

  app.get<{ Params: Static<typeof IdParams> }>(
    "/api/initiatives/:id/suggestions", {
      schema: {
        tags: ["initiatives"],
        summary: "Opportunités de mutualisation d'une initiative publiée",
        params: IdParams,
        response: { 200: SuggestionListSchema },
      },
    }, async (request) => {
      const ctx = { ...request.ctx(), actor: { kind: "visitor" as const } };
      const suggestions = await findPoolingSuggestions(ctx, request.params.id,
        { publicOnly: true });

      return { items: suggestions.map((s) => presentSuggestion(app.config, s)) };
    });
};
