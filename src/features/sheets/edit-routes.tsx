import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { forbidden } from "../../domain/errors.ts";
import { redirectWithFlash } from "../../web/render.tsx";
import { trajectoryText } from "./content.ts";
import type { SheetInput } from "./input.ts";
import {
  handleForm, many, one, send, type Body, type Slug,
} from "./route-forms.ts";
import {
  createSheet, findSheetFormChoices, getSheet, getSheetIdBySlug,
  updateSheet, type SheetPage,
} from "./sheets.ts";
import { SheetForm } from "./edit-views.tsx";
import type { FormState } from "./views.tsx";

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

/** The forms that start a sheet and edit it. */
export const sheetEditRoutes: FastifyPluginAsync = async (app) => {
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
          submit="Enregistrer" people={{
            coauthors: data.rights.changeCoauthors,
            facilitator: data.rights.changeFacilitator }} />
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
};
