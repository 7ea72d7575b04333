import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { forbidden } from "../../domain/errors.ts";
import { redirectWithFlash } from "../../web/render.tsx";
import {
  closeTrainingRequest, findAvailableFacilitators, findFacilitators,
  findMyTrainingRequest, findTrainingAttendees, findTrainingRequests,
  findTrainingSessions, getMyAvailability, recordTrainingCompletions,
  requestTraining, updateAvailability,
} from "./facilitators.ts";
import { canManageTraining } from "./policy.ts";
import { handleForm, many, one, send, type Body } from "./route-forms.ts";
import { FacilitatorsPage, TrainingAdminPage } from "./training-views.tsx";
import type { FormState } from "./views.tsx";

/** Facilitators, their availability and their training. */
export const sheetTrainingRoutes: FastifyPluginAsync = async (app) => {
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
};
