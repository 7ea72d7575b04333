import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { DomainError, notFound } from "../../domain/errors.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { findCarrierChoices } from "./carriers.ts";
import { createInitiative } from "./create-initiative.ts";
import { detailValues, inputOf, readForm, valuesOf } from "./form-fields.ts";
import { getInitiativeBySlug } from "./initiative-detail.ts";
import { canModerateInitiatives } from "./policy.ts";
import {
  resolveTerritories, splitTerritoryEntries,
} from "./territory-input.ts";
import { updateInitiative } from "./update-initiative.ts";
import { emptyForm, InitiativeForm, type FormValues } from "./form-views.tsx";

/** Declaring an initiative, and editing it. */
export const initiativeFormRoutes: FastifyPluginAsync = async (app) => {
  async function renderForm(
    request: FastifyRequest, reply: FastifyReply, options: {
      heading: string; action: string; values: FormValues;
      currentCarrierIds?: string[]; hasImage?: boolean;
      error?: DomainError; status?: number; picks?: string[];
    },
  ) {
    const ctx = request.ctx();
    const choices = await findCarrierChoices(ctx,
      [...(options.currentCarrierIds ?? []), ...options.values.carrierIds]
        .filter((id) => /^[0-9a-f-]{36}$/i.test(id)));
    const ambiguous = options.error
      ? (await resolveTerritories(ctx.db,
        splitTerritoryEntries(options.values.territories),
        options.picks)).ambiguous
      : [];

    return sendPage(request, reply, options.heading, (page) => (
      <InitiativeForm page={page} action={options.action}
        heading={options.heading} values={options.values}
        carriers={choices.organisations} people={choices.people}
        staff={canModerateInitiatives(ctx.actor)}
        hasImage={options.hasImage ?? false}
        error={options.error?.message} errors={options.error?.fields}
        territoryChoices={ambiguous} />
    ), options.status ?? 200);
  }

  app.get("/initiatives/nouvelle", async (request, reply) => {
    requirePerson(request.actor);
    const choices = await findCarrierChoices(request.ctx());
    const values = { ...emptyForm(),
      carrierIds: choices.organisations.length === 1
        ? [choices.organisations[0].id] : [] };

    return renderForm(request, reply, { heading: "Déclarer une initiative",
      action: "/initiatives/nouvelle", values });
  });

  app.post("/initiatives/nouvelle", async (request, reply) => {
    requirePerson(request.actor);
    const { fields, image } = await readForm(request);
    const values = valuesOf(fields);
    try {
      const created = await createInitiative(request.ctx(),
        await inputOf(request, values, fields, image));

      return redirectWithFlash(reply, `/initiatives/${created.slug}`,
        "Initiative enregistrée comme brouillon.");
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "invalid") {
        throw error;
      }

      return renderForm(request, reply, { heading: "Déclarer une initiative",
        action: "/initiatives/nouvelle", values, error, status: 400,
        picks: fields.territoryPicks });
    }
  });

  app.get<{ Params: { slug: string } }>("/initiatives/:slug/modifier",
    async (request, reply) => {
      const detail = await getInitiativeBySlug(request.ctx(),
        request.params.slug);
      if (!detail.canEdit) throw notFound();

      return renderForm(request, reply, {
        heading: `Modifier « ${detail.initiative.title} »`,
        action: `/initiatives/${detail.initiative.slug}/modifier`,
        values: detailValues(detail),
        currentCarrierIds: detail.carriers.map((c) => c.id),
        hasImage: !!detail.initiative.imageFile,
      });
    });

  app.post<{ Params: { slug: string } }>("/initiatives/:slug/modifier",
    async (request, reply) => {
      const ctx = request.ctx();
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      const { fields, image } = await readForm(request);
      const values = valuesOf(fields);
      try {
        await updateInitiative(ctx, detail.initiative.id,
          await inputOf(request, values, fields, image));

        return redirectWithFlash(reply, `/initiatives/${detail.initiative.slug}`,
          "Modifications enregistrées.");
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "invalid") {
          throw error;
        }

        return renderForm(request, reply, {
          heading: `Modifier « ${detail.initiative.title} »`,
          action: `/initiatives/${detail.initiative.slug}/modifier`,
          values, error, status: 400, picks: fields.territoryPicks,
          currentCarrierIds: detail.carriers.map((c) => c.id),
          hasImage: !!detail.initiative.imageFile,
        });
      }
    });
};
