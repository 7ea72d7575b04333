import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { requirePerson } from "../../domain/context.ts";
import { DomainError, forbidden, notFound } from "../../domain/errors.ts";
import type { PageCtx } from "../../web/layout.tsx";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import {
  attachFileToSheet, getSheetAttachment, MAX_ATTACHMENT_BYTES,
  removeSheetAttachment,
} from "./attachments.ts";
import { commentSheetSection, findSheetComments } from "./comments.ts";
import { trajectoryText } from "./content.ts";
import {
  closeTrainingRequest, findAvailableFacilitators, findFacilitators,
  findMyTrainingRequest, findTrainingAttendees, findTrainingRequests,
  findTrainingSessions, getMyAvailability, recordTrainingCompletions,
  requestTraining, updateAvailability,
} from "./facilitators.ts";
import type { SheetInput } from "./input.ts";
import { canManageTraining, canReviewSheet } from "./policy.ts";
import { publishSheet, sendBackSheet, submitSheet } from "./review.ts";
import {
  createSheet, findMySheets, findPublishedSheets, findReviewQueue,
  findSheetFormChoices, getSheet, getSheetIdBySlug, updateSheet,
  type SheetPage,
} from "./sheets.ts";
import { FacilitatorsPage, TrainingAdminPage } from "./training-views.tsx";
import { diffSheetVersions, findSheetVersions } from "./versions.ts";
import {
  citationOf, ReviewQueueView, SheetForm, SheetPrintView, SheetsIndexPage, SheetView,
  VersionsView, type FormState,
} from "./views.tsx";

type Body = Record<string, string | string[] | undefined>;
type Slug = { Params: { slug: string } };

const one = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v[0] : v) ?? "";
const many = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v : v ? [v] : [];

function sheetInput(b: Body): SheetInput {
  return {
    title: one(b.title), summary: one(b.summary), context: one(b.context),
    actors: one(b.actors), trajectory: one(b.trajectory),
    actions: one(b.actions), effects: one(b.effects),
    difficulties: one(b.difficulties), lessons: one(b.lessons),
    themes: one(b.themes), competences: one(b.competences),
    tools: one(b.tools), methods: one(b.methods),
    territories: one(b.territories), facilitatorId: one(b.facilitatorId),
    coauthors: one(b.coauthors), organisationIds: many(b.organisationIds),
    initiativeIds: many(b.initiativeIds), eventIds: many(b.eventIds),
  };
}

/** The edit form's values as the sheet reads now. */
function savedValues(data: SheetPage): Body {
  const s = data.sheet;
  const lines = (items: string[]) => items.join("\n");

  return {
    version: String(s.version), title: s.title, summary: s.summary,
    context: s.context, actors: s.actors,
    trajectory: trajectoryText(s.trajectory), actions: s.actions,
    effects: s.effects, difficulties: s.difficulties, lessons: s.lessons,
    themes: lines(s.themes), competences: lines(s.competences),
    tools: lines(s.tools), methods: lines(s.methods),
    territories: lines(data.territories.map((t) => t.label)),
    facilitatorId: s.facilitatorId ?? "",
    coauthors: lines(data.authors.filter((a) => a.id !== s.createdBy)
      .map((a) => a.email ?? "").filter(Boolean)),
    organisationIds: data.organisations.map((o) => o.id),
    initiativeIds: data.initiatives.map((i) => i.id),
    eventIds: data.events.map((e) => e.id),
  };
}

/**
 * Runs a form's use case; on invalid input, renders the page again with
 * what was typed and the French messages (400), so nothing is lost. A
 * conflict (someone saved in between) is shown the same way.
 */
async function handleForm(
  reply: FastifyReply, run: () => Promise<unknown>,
  rerender: (form: FormState) => Promise<unknown>, success: () => unknown,
) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof DomainError)
      || (error.code !== "invalid" && error.code !== "conflict")) {
      throw error;
    }
    reply.code(error.code === "invalid" ? 400 : 409);

    return rerender({ error: { message: error.message,
      fields: error.fields } });
  }

  return success();
}

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

export const sheetRoutes: FastifyPluginAsync = async (app) => {
  const send = (request: FastifyRequest, reply: FastifyReply, title: string,
    body: (page: PageCtx) => any) =>
    sendPage(request, reply, title, body, reply.statusCode);
  const urlOf = (slug: string) => `${app.config.baseUrl}/fiches/${slug}`;

  app.get("/fiches", async (request, reply) => {
    const ctx = request.ctx();
    const [published, mine] = await Promise.all([findPublishedSheets(ctx),
      findMySheets(ctx)]);

    return sendPage(request, reply, "Fiches d'expérience", (page) =>
      <SheetsIndexPage page={page} published={published} mine={mine} />);
  });

  const newPage = async (request: FastifyRequest, reply: FastifyReply,
    form: FormState = {}) => {
    requirePerson(request.actor);
    const choices = await findSheetFormChoices(request.ctx(), []);

    return send(request, reply, "Nouvelle fiche", (page) => (
      <section>
        <h1>Nouvelle fiche d'expérience</h1>
        <p>Vous en êtes le·la premier·e auteur·e. Vous pourrez la reprendre
          autant que nécessaire avec votre maïeuticien·ne avant qu'il·elle
          la soumette à l'équipe.</p>
        <SheetForm page={page} action="/fiches" form={form} choices={choices}
          submit="Créer le brouillon" />
      </section>));
  };
  app.get("/fiches/nouvelle", (request, reply) => newPage(request, reply));
  app.post<{ Body: Body }>("/fiches", async (request, reply) => {
    const b = request.body ?? {};
    let slug = "";

    return handleForm(reply, async () => {
      ({ slug } = await createSheet(request.ctx(), sheetInput(b)));
    }, (form) => newPage(request, reply, { ...form, values: b }),
    () => redirectWithFlash(reply, `/fiches/${slug}`,
      "Le brouillon est enregistré."));
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

  const editPage = async (request: FastifyRequest<Slug>,
    reply: FastifyReply, form?: FormState) => {
    const ctx = request.ctx();
    const data = await getSheet(ctx, request.params.slug);
    if (!data.rights.edit) {
      requirePerson(ctx.actor);
      throw forbidden("Vous ne pouvez pas modifier cette fiche.");
    }
    const choices = await findSheetFormChoices(ctx,
      data.parties.authorIds);

    return send(request, reply, `Modifier : ${data.sheet.title}`, (page) => (
      <section>
        <h1>Modifier : {data.sheet.title}</h1>
        <p><a href={`/fiches/${data.sheet.slug}`}>Retour à la fiche</a></p>
        <SheetForm page={page} action={`/fiches/${data.sheet.slug}/modifier`}
          form={form ?? { values: savedValues(data) }} choices={choices}
          submit="Enregistrer" />
      </section>));
  };
  app.get<Slug>("/fiches/:slug/modifier", (request, reply) =>
    editPage(request, reply));
  app.post<Slug & { Body: Body }>("/fiches/:slug/modifier",
    async (request, reply) => {
      const b = request.body ?? {};
      const sheetId = await getSheetIdBySlug(request.ctx().db,
        request.params.slug);

      return handleForm(reply, () => updateSheet(request.ctx(), {
        ...sheetInput(b), sheetId, version: Number(one(b.version)) }),
      (form) => editPage(request, reply, { ...form, values: b }),
      () => redirectWithFlash(reply, `/fiches/${request.params.slug}`,
        "La fiche est enregistrée."));
    });

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
      const name = encodeURIComponent(attachment.originalName);
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

  // Facilitators, their availability and their training.
  const facilitatorsPage = async (request: FastifyRequest,
    reply: FastifyReply, form: FormState = {}) => {
    const ctx = request.ctx();
    requirePerson(ctx.actor);
    const [facilitators, availability, trainingRequest] = await Promise.all([
      findAvailableFacilitators(ctx), getMyAvailability(ctx),
      findMyTrainingRequest(ctx)]);

    return send(request, reply, "Maïeuticien·nes", (page) => (
      <FacilitatorsPage page={page} facilitators={facilitators}
        availability={availability} request={trainingRequest}
        form={form} />));
  };
  app.get("/maieuticiens", (request, reply) =>
    facilitatorsPage(request, reply));
  app.post<{ Body: Body }>("/maieuticiens/disponibilite",
    async (request, reply) => {
      const b = request.body ?? {};

      return handleForm(reply, () => updateAvailability(request.ctx(), {
        available: one(b.available) !== "non", themes: one(b.themes),
        languages: one(b.languages) }),
      (form) => facilitatorsPage(request, reply, { ...form, values: b }),
      () => redirectWithFlash(reply, "/maieuticiens",
        "Votre disponibilité est enregistrée."));
    });
  app.post<{ Body: Body }>("/maieuticiens/formation",
    async (request, reply) => {
      const b = request.body ?? {};

      return handleForm(reply, () => requestTraining(request.ctx(),
        { message: one(b.message) }),
      (form) => facilitatorsPage(request, reply, { ...form, values: b }),
      () => redirectWithFlash(reply, "/maieuticiens",
        "Votre demande de formation est transmise à l'équipe."));
    });

  const trainingPage = async (request: FastifyRequest, reply: FastifyReply,
    occurrenceId: string, form: FormState = {}) => {
    const ctx = request.ctx();
    requirePerson(ctx.actor);
    if (!canManageTraining(ctx.actor)) throw forbidden();
    const [requests, sessions, facilitators] = await Promise.all([
      findTrainingRequests(ctx), findTrainingSessions(ctx),
      findFacilitators(ctx)]);
    const attendees = occurrenceId
      ? await findTrainingAttendees(ctx, occurrenceId) : null;

    return send(request, reply, "Formations et maïeuticien·nes", (page) => (
      <TrainingAdminPage page={page} requests={requests} sessions={sessions}
        attendees={attendees} facilitators={facilitators} form={form} />));
  };
  app.get<{ Querystring: { seance?: string } }>("/admin/formations",
    (request, reply) => trainingPage(request, reply,
      request.query.seance ?? ""));
  app.post<{ Body: Body }>("/admin/formations/suivies",
    async (request, reply) => {
      const b = request.body ?? {};
      const occurrenceId = one(b.occurrenceId);

      return handleForm(reply, () => recordTrainingCompletions(request.ctx(),
        { occurrenceId, personIds: many(b.personIds),
          makeFacilitators: one(b.makeFacilitators) === "oui" }),
      (form) => trainingPage(request, reply, occurrenceId, form),
      () => redirectWithFlash(reply,
        `/admin/formations?seance=${encodeURIComponent(occurrenceId)}`,
        "La formation suivie est enregistrée."));
    });
  app.post<{ Params: { id: string } }>(
    "/admin/formations/demandes/:id/clore", async (request, reply) => {
      await closeTrainingRequest(request.ctx(), request.params.id);

      return redirectWithFlash(reply, "/admin/formations",
        "La demande est close.");
    });

  // The JSON API: published sheets only.
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
