import type { FastifyPluginAsync } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { DomainError } from "../../domain/errors.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { getInitiativeBySlug } from "./initiative-detail.ts";
import { findInitiativesToModerate } from "./initiative-lists.ts";
import {
  archiveInitiative, publishInitiative, submitInitiative, unpublishInitiative,
} from "./publication.ts";
import { ModerationPage, UnpublishForm } from "./publication-views.tsx";
import { textOf } from "../../web/fields.ts";

/** Submitting, publishing, unpublishing, archiving, and staff's queue. */
export const initiativePublicationRoutes: FastifyPluginAsync = async (app) => {
  const transition = (
    suffix: string, run: typeof submitInitiative, message: string,
  ) => app.post<{ Params: { slug: string } }>(`/initiatives/:slug/${suffix}`,
    async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      await run(ctx, detail.initiative.id);

      return redirectWithFlash(reply, `/initiatives/${detail.initiative.slug}`,
        message);
    });
  transition("soumettre", submitInitiative,
    "Initiative soumise à l'équipe pour publication.");
  transition("publier", publishInitiative, "Initiative publiée.");
  transition("archiver", archiveInitiative, "Initiative archivée.");

  app.post<{ Params: { slug: string }; Body: { reason?: string } }>(
    "/initiatives/:slug/retirer", async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      try {
        await unpublishInitiative(ctx, detail.initiative.id,
          textOf(request.body?.reason));
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "invalid") {
          throw error;
        }

        return sendPage(request, reply, "Retirer de la publication", (page) => (
          <section>
            <h1>Retirer « {detail.initiative.title} »</h1>
            <UnpublishForm page={page} slug={detail.initiative.slug}
              error={error.fields.reason} />
          </section>
        ), 400);
      }

      return redirectWithFlash(reply, `/initiatives/${detail.initiative.slug}`,
        "Initiative retirée de la publication ; les porteur·ses sont prévenu·es.");
    });

  app.get("/admin/initiatives", async (request, reply) => {
    const items = await findInitiativesToModerate(request.ctx());

    return sendPage(request, reply, "Modération des initiatives", (page) => (
      <ModerationPage page={page} items={items} />));
  });
};
