import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { sendPage } from "../../web/render.tsx";
import {
  findInitiativesOfOrganisation,
} from "../initiatives/initiative-lists.ts";
import { findLabelsOfOrganisation } from "../labels/register.ts";
import { findAttestedCompetences } from "../sheets/attestation.ts";
import {
  resolveTerritory, type TerritorySummary,
} from "../territories/search.ts";
import { exportOrganisationsCsv } from "./csv-export.ts";
import { getOrganisation } from "./organisation-queries.ts";
import { OrganisationView } from "./organisation-views.tsx";
import { getPersonProfile } from "./people.ts";
import { PersonView } from "./person-views.tsx";
import { DirectoryView, type DirectoryFilters } from "./search-views.tsx";
import { findDirectoryFacets, findOrganisations } from "./search.ts";
import { ORGANISATION_KINDS } from "./tables.ts";

const Filters = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  theme: Type.Optional(Type.String({ maxLength: 200 })),
  skill: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(Type.String({ maxLength: 40 })),
  territoire: Type.Optional(Type.String({ maxLength: 200 })),
  signataire: Type.Optional(Type.String({ maxLength: 3 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
});

/** A search in a territory that does not exist: nothing found. */
export const NO_RESULT = { items: [], total: 0, page: 1, pageCount: 0 };

/**
 * The directory: its search and CSV export, an organisation's profile and
 * a person's.
 */
export const directoryRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/annuaire", { schema: { querystring: Filters } },
    async (request, reply) => {
      const query = request.query;
      const filters: DirectoryFilters = {
        q: query.q ?? "", theme: query.theme ?? "", skill: query.skill ?? "",
        kind: (ORGANISATION_KINDS as readonly string[]).includes(
          query.kind ?? "") ? query.kind! : "",
        territoire: query.territoire ?? "", signataire: query.signataire ?? "",
      };
      let territory: TerritorySummary | null = null;
      let territoryChoices: TerritorySummary[] = [];
      let territoryUnknown = false;
      if (filters.territoire.trim()) {
        const found = await resolveTerritory(app.database.db,
          filters.territoire);
        if (found.status === "found") territory = found.territory;
        else if (found.status === "ambiguous") {
          territoryChoices = found.candidates;
        } else territoryUnknown = true;
      }
      // A territory that does not exist holds no organisation: showing the
      // whole directory would read as if the filter had matched.
      const result = territoryUnknown ? NO_RESULT
        : await findOrganisations(request.ctx(), {
        q: filters.q, theme: filters.theme, skill: filters.skill,
        kind: filters.kind, territory: territory?.id,
        signatory: filters.signataire === "oui" ? true
          : filters.signataire === "non" ? false : undefined,
        page: query.page ?? 1, perPage: 24,
      });
      const facets = await findDirectoryFacets(app.database.db);
      const url = (changes: Record<string, string>) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries({ ...filters, ...changes })) {
          if (v) params.set(k, v);
        }
        return `/annuaire?${params}`;
      };

      return sendPage(request, reply, "Annuaire", (page) => (
        <DirectoryView page={page} filters={filters} result={result}
          facets={facets} territory={territory}
          territoryChoices={territoryChoices}
          territoryUnknown={territoryUnknown}
          pageUrl={(n) => url({ page: String(n) })}
          choiceUrl={(id) => url({ territoire: id })} />
      ));
    });

  app.get("/annuaire/export.csv", async (request, reply) => {
    const csv = await exportOrganisationsCsv(request.ctx());

    return reply.type("text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="annuaire.csv"')
      .header("cache-control", "no-store").send(csv);
  });

  app.get<{ Params: { slug: string } }>("/annuaire/:slug",
    async (request, reply) => {
      const data = await getOrganisation(request.ctx(), request.params.slug);
      const ctx = request.ctx();
      const id = data.organisation.id;
      const attested = await findAttestedCompetences(ctx,
        { organisationId: id });
      const initiatives = await findInitiativesOfOrganisation(ctx, id);
      const labels = await findLabelsOfOrganisation(ctx, id);

      return sendPage(request, reply, data.organisation.name, (page) => (
        <OrganisationView page={page} data={data} attested={attested}
          initiatives={initiatives} labels={labels} />
      ));
    });

  app.get<{ Params: { id: string } }>("/personnes/:id",
    async (request, reply) => {
      const data = await getPersonProfile(request.ctx(), request.params.id);
      const attested = await findAttestedCompetences(request.ctx(),
        { personId: data.person.id });

      return sendPage(request, reply, data.person.fullName,
        () => <PersonView data={data} attested={attested} />);
    });
};
