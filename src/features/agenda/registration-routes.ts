import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { redirectWithFlash } from "../../web/render.tsx";
import { cancelRegistration, registerForOccurrence } from "./registrations.ts";
import { formError, one, uuid, type Form } from "./route-forms.ts";

/** Only a path inside the agenda, never elsewhere. */
const safeNext = (value: string, fallback: string) =>
  /^\/agenda(\/[\w\-./]*)?$/.test(value) ? value : fallback;

/** A person registers for a date, or cancels the registration. */
export const agendaRegistrationRoutes: FastifyPluginAsync = async (app) => {
  // Registration errors (full window, already registered…) come back as a
  // message on the page the person came from.
  const registrationAction = (
    action: (request: FastifyRequest, occurrenceId: string) => Promise<string>,
  ) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { occurrenceId } = request.params as { occurrenceId: string };
    const next = safeNext(one((request.body as Form)?.suite),
      "/agenda/mes-inscriptions");
    requirePerson(request.actor);
    try {
      return redirectWithFlash(reply, next,
        await action(request, uuid(occurrenceId)));
    } catch (error) {
      if (!formError(error)) throw error;
      return redirectWithFlash(reply, next, (error as Error).message);
    }
  };

  app.post("/agenda/dates/:occurrenceId/inscription", registrationAction(
    async (request, occurrenceId) => {
      const result = await registerForOccurrence(request.ctx(),
        { occurrenceId });
      return result.status === "confirmed"
        ? "Inscription confirmée : un e-mail de confirmation vous est envoyé."
        : "Cette date est complète : vous êtes sur la liste d'attente.";
    }));

  app.post("/agenda/dates/:occurrenceId/annulation", registrationAction(
    async (request, occurrenceId) => {
      await cancelRegistration(request.ctx(), { occurrenceId });
      return "Inscription annulée.";
    }));
};
