import type { FastifyPluginAsync } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { getInitiativeBySlug } from "./initiative-detail.ts";
import { decidePooling } from "./pooling-decisions.ts";
import { findPoolingOpportunities } from "./pooling-opportunities.ts";
import { findPoolingSuggestions } from "./pooling-suggestions.ts";
import { OpportunitiesPage, SuggestionsPage } from "./pooling-views.tsx";

/** Pooling suggestions of an initiative, and staff's list of exchanges. */
export const initiativePoolingRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { slug: string } }>("/initiatives/:slug/mutualisation",
    async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      const suggestions = await findPoolingSuggestions(ctx,
        detail.initiative.id);

      return sendPage(request, reply, "Opportunités de mutualisation",
        (page) => (
          <SuggestionsPage page={page} detail={detail}
            suggestions={suggestions} canDecide={detail.canEdit} />
        ));
    });

  app.post<{ Params: { slug: string }; Body: Record<string, string> }>(
    "/initiatives/:slug/mutualisation", async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      const body = request.body ?? {};
      await decidePooling(ctx, {
        initiativeId: detail.initiative.id,
        targetKind: body.targetKind as "initiative",
        targetId: body.targetId ?? "",
        decision: body.decision as "talk",
      });

      return redirectWithFlash(reply,
        `/initiatives/${detail.initiative.slug}/mutualisation`,
        body.decision === "talk"
          ? "C'est noté : l'autre partie est prévenue par courriel."
          : "Suggestion masquée.");
    });

  app.get("/admin/mutualisations", async (request, reply) => {
    const rows = await findPoolingOpportunities(request.ctx());

    return sendPage(request, reply, "Opportunités de mutualisation", () => (
      <OpportunitiesPage rows={rows} />));
  });
};
