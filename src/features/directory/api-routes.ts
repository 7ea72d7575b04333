import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { invalid } from "../../domain/errors.ts";
import { resolveTerritory } from "../territories/search.ts";
import { NO_RESULT } from "./routes.tsx";
import { findOrganisations } from "./search.ts";
import { ORGANISATION_KINDS } from "./tables.ts";

const OrganisationSchema = Type.Object({
  id: Type.String(), slug: Type.String(), name: Type.String(),
  kind: Type.Union([Type.String(), Type.Null()]),
  description: Type.String({ description: "Markdown" }),
  themes: Type.Array(Type.String()), skills: Type.Array(Type.String()),
  website: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  postalCode: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  communeId: Type.Union([Type.String(), Type.Null()]),
  charterSignatory: Type.Boolean(),
  charterSignedOn: Type.Union([Type.String({ format: "date" }), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
});

/** The directory's organisations for other programs, as JSON. */
export const directoryApiRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/api/organisations", {
    schema: {
      tags: ["annuaire"],
      summary: "Structures de l'annuaire (champs publics pour un visiteur)",
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 200 })),
        theme: Type.Optional(Type.String({ maxLength: 200 })),
        skill: Type.Optional(Type.String({ maxLength: 200 })),
        kind: Type.Optional(Type.Union(ORGANISATION_KINDS.map(
          (k) => Type.Literal(k)))),
        territory: Type.Optional(Type.String({ maxLength: 40,
          description: "Code ou identifiant, par exemple 62, 62528, R32 "
            + "ou departement-62" })),
        page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
      }),
      response: {
        200: Type.Object({
          items: Type.Array(OrganisationSchema),
          total: Type.Integer(), page: Type.Integer(),
          pageCount: Type.Integer(),
        }),
      },
    },
  }, async (request) => {
    const { territory: text, ...filters } = request.query;
    let territory: string | undefined;
    if (text?.trim()) {
      const found = await resolveTerritory(app.database.db, text);
      if (found.status === "ambiguous") {
        throw invalid(`Plusieurs territoires correspondent à « ${text} » : `
          + `précisez lequel (${found.candidates.map((c) => c.id)
            .join(", ")}).`, { territory: "Territoire ambigu." });
      }
      if (found.status === "unknown") return { ...NO_RESULT, items: [] };
      territory = found.territory.id;
    }
    const result = await findOrganisations(request.ctx(),
      { ...filters, territory, perPage: 50 });

    return { items: result.items, total: result.total, page: result.page,
      pageCount: result.pageCount };
  });
};
