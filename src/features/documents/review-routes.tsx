import type { FastifyPluginAsync } from "fastify";
import { requireStaff } from "../../domain/context.ts";
import { notFound } from "../../domain/errors.ts";
import { textOf } from "../../web/fields.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { isUuid } from "../../domain/ids.ts";
import { findSubmittedDocuments } from "./documents.ts";
import {
  publishDocument, refuseDocument, withdrawDocument,
} from "./review.ts";
import { ReviewQueue } from "./views.tsx";

/** An id from the address: anything but a UUID names no document. */
function documentId(id: string): string {
  if (!isUuid(id)) throw notFound("Document inconnu.");

  return id;
}

/** Staff's review of deposits and withdrawal of published documents. */
export const documentReviewRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/fonds", async (request, reply) => {
    requireStaff(request.actor);
    const items = await findSubmittedDocuments(request.ctx());

    return sendPage(request, reply, "Documents à valider", (page) => (
      <ReviewQueue page={page} items={items} />
    ));
  });

  app.post<{ Params: { id: string } }>("/admin/fonds/:id/publier",
    async (request, reply) => {
      const doc = await publishDocument(request.ctx(),
        { id: documentId(request.params.id) });

      return redirectWithFlash(reply, "/admin/fonds",
        `« ${doc.title} » est publié.`);
    });

  app.post<{ Params: { id: string }; Body: { note?: string } }>(
    "/admin/fonds/:id/refuser", async (request, reply) => {
      const doc = await refuseDocument(request.ctx(), {
        id: documentId(request.params.id), note: textOf(request.body?.note) });

      return redirectWithFlash(reply, "/admin/fonds",
        `« ${doc.title} » est refusé.`);
    });

  app.post<{ Params: { id: string }; Body: { note?: string } }>(
    "/admin/fonds/:id/retirer", async (request, reply) => {
      const doc = await withdrawDocument(request.ctx(), {
        id: documentId(request.params.id), note: textOf(request.body?.note) });

      return redirectWithFlash(reply, `/fonds/documents/${doc.slug}`,
        `« ${doc.title} » est retiré du fonds.`);
    });
};
