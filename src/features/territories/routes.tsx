import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TERRITORY_KINDS, type TerritoryKind } from "./tables.ts";
import { searchTerritories } from "./search.ts";

const Kind = Type.Unsafe<TerritoryKind>(
  { type: "string", enum: [...TERRITORY_KINDS] });

export const TerritorySchema = Type.Object({
  id: Type.String({ examples: ["commune-62528"] }),
  kind: Kind,
  code: Type.String({ description: "Code INSEE, ou SIREN pour un EPCI" }),
  name: Type.String(),
  label: Type.String({ examples: ["Loos-en-Gohelle (62)"] }),
});

export const territoryRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/api/territories", {
    schema: {
      tags: ["territoires"],
      summary: "Rechercher une commune, un EPCI, un département ou une région",
      querystring: Type.Object({
        q: Type.String({ minLength: 1, maxLength: 100 }),
        kind: Type.Optional(Kind),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(TerritorySchema) }) },
    },
  }, async (request) => {
    const { q, kind, limit } = request.query;
    const items = await searchTerritories(app.database.db, q,
      { kinds: kind ? [kind as TerritoryKind] : undefined, limit: limit ?? 10 });

    return { items };
  });
};
