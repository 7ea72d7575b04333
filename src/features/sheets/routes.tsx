import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { forbidden } from "../../domain/errors.ts";
import { fileNameFor } from "../../domain/file-types.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import {
  attachFileToSheet, getSheetAttachment, MAX_ATTACHMENT_BYTES,
  removeSheetAttachment,
} from "./attachments.ts";
import { commentSheetSection, findSheetComments } from "./comments.ts";
import { canReviewSheet } from "./policy.ts";
import { publishSheet, sendBackSheet, submitSheet } from "./review.ts";
import { handleForm, one, send, type Body, type Slug } from "./route-forms.ts";
import {
  findMySheets, findPublishedSheets, findReviewQueue, getSheet,
  getSheetIdBySlug,
} from "./sheets.ts";
import { diffSheetVersions, findSheetVersions } from "./versions.ts";
import { ReviewQueueView, SheetsIndexPage } from "./list-views.tsx";
import { VersionsView } from "./version-views.tsx";
import { SheetPrintView, SheetView, type FormState } from "./views.tsx";

/**
 * The sheets: the list, a sheet's page with its review, comments and
 * attachments, its versions and print, and staff's review queue.
 */
export const sheetRoutes: FastifyPluginAsync = async (app) => {
  const urlOf = (slug: string) => `${app.config.baseUrl}/fiches/${slug}`;

  app.get("/fiches", async (request, reply) => {
    const ctx = request.ctx();
    const [published, mine] = await Promise.all([findPublishedSheets(ctx),
      findMySheets(ctx)]);

    return sendPage(request, reply, "Fiches d'expérience", (page) =>
      <SheetsIndexPage page={page} published={published} mine={mine} />);
  });

  const sheetPage = async (request: FastifyRequest<Slug>,
    reply: FastifyReply, form: FormState = {}) => {
    const ctx = request.ctx();
    const data = await getSheet(ctx, request.params.slug);
    const comments = await findSheetComments(ctx, data.sheet.id);

    return send(request, reply, data.sheet.title, (page) => (
      <SheetView page={page} data={data} comments={comments}
        url={urlOf(data.sheet.slug)} form={form} />));
  };
  app.get<Slug>("/fiches/:slug", (request, reply) =>
    sheetPage(request, reply));

  // Steps of the review, and comments: each re-renders the sheet on error.
  const step = (path: string, run: (request: FastifyRequest<Slug & {
    Body: Body }>, sheetId: string) => Promise<unknown>, flash: string) =>
    app.post<Slug & { Body: Body }>(`/fiches/:slug/${path}`,
      async (request, reply) => {
        const sheetId = await getSheetIdBySlug(request.ctx().db,
          request.params.slug);

        return handleForm(reply, () => run(request, sheetId),
          (form) => sheetPage(request, reply,
            { ...form, values: request.body ?? {} }),
          () => redirectWithFlash(reply, `/fiches/${request.params.slug}`,
            flash));
      });
  step("soumettre", (request, id) => submitSheet(request.ctx(), id),
    "La fiche est soumise à l'équipe pour relecture.");
  step("publier", (request, id) => publishSheet(request.ctx(), id),
    "La fiche est publiée.");
  step("renvoyer", (request, id) => sendBackSheet(request.ctx(), {
    sheetId: id, remarks: one(request.body?.remarks) }),
  "La fiche est renvoyée à ses auteur·es.");
  step("commentaires", (request, id) => commentSheetSection(request.ctx(), {
    sheetId: id, section: one(request.body?.section),
    body: one(request.body?.body) }), "Commentaire ajouté.");

  // Attachments: bytes checked by the use case, served never as a page.
  app.post<Slug>("/fiches/:slug/pieces", async (request, reply) => {
    const ctx = request.ctx();
    requirePerson(ctx.actor);
    const sheetId = await getSheetIdBySlug(ctx.db, request.params.slug);
    const file = request.isMultipart() ? await request.file({
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1 } }) : undefined;
    let content = Buffer.alloc(0);
    let truncated = false;
    if (file) {
      const chunks: Buffer[] = [];
      for await (const chunk of file.file) chunks.push(chunk as Buffer);
      content = Buffer.concat(chunks);
      truncated = file.file.truncated;
    }

    return handleForm(reply, () => attachFileToSheet(ctx, { sheetId,
      fileName: file?.filename ?? "", content, truncated }),
    (form) => sheetPage(request, reply, form),
    () => redirectWithFlash(reply, `/fiches/${request.params.slug}`,
      "La pièce jointe est ajoutée."));
  });
  app.get<{ Params: { slug: string; id: string } }>(
    "/fiches/:slug/pieces/:id", async (request, reply) => {
      const ctx = request.ctx();
      const sheetId = await getSheetIdBySlug(ctx.db, request.params.slug);
      const { attachment, content } = await getSheetAttachment(ctx,
        { sheetId, attachmentId: request.params.id });
      const name = encodeURIComponent(fileNameFor(attachment.originalName,
        attachment.contentType, "piece-jointe"));
      // PDFs are downloaded, never opened in the site's origin; images
      // are shown as images. The type is the one read from the bytes.
      const disposition = attachment.contentType === "application/pdf"
        ? "attachment" : "inline";

      return reply.type(attachment.contentType)
        .header("x-content-type-options", "nosniff")
        .header("content-disposition",
          `${disposition}; filename*=UTF-8''${name}`)
        .header("content-security-policy",
          "default-src 'none'; sandbox")
        .header("cache-control", "private, max-age=3600")
        .send(content);
    });
  app.post<{ Params: { slug: string; id: string } }>(
    "/fiches/:slug/pieces/:id/retirer", async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const sheetId = await getSheetIdBySlug(ctx.db, request.params.slug);
      await removeSheetAttachment(ctx, { sheetId,
        attachmentId: request.params.id });

      return redirectWithFlash(reply, `/fiches/${request.params.slug}`,
        "La pièce jointe est retirée.");
    });

  app.get<Slug & { Querystring: { de?: string; a?: string } }>(
    "/fiches/:slug/versions", async (request, reply) => {
      const ctx = request.ctx();
      const { sheet, versions } = await findSheetVersions(ctx,
        request.params.slug);
      const { de, a } = request.query;
      const diff = de && a ? await diffSheetVersions(ctx, sheet.slug,
        Number(de), Number(a)) : undefined;

      return sendPage(request, reply, `Historique : ${sheet.title}`, () => (
        <VersionsView slug={sheet.slug} title={sheet.title}
          versions={versions} diff={diff && { from: diff.from.number,
            to: diff.to.number, sections: diff.sections }} />));
    });
  app.get<Slug>("/fiches/:slug/imprimer", async (request, reply) => {
    const data = await getSheet(request.ctx(), request.params.slug);

    return sendPage(request, reply, data.sheet.title, (page) => (
      <SheetPrintView page={page} data={data}
        url={urlOf(data.sheet.slug)} />));
  });

  app.get("/admin/fiches", async (request, reply) => {
    requirePerson(request.actor);
    if (!canReviewSheet(request.actor)) throw forbidden();
    const items = await findReviewQueue(request.ctx());

    return sendPage(request, reply, "Relecture des fiches", () =>
      <ReviewQueueView items={items} />);
  });
};
