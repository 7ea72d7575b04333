import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { invalid, notFound } from "../../domain/errors.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import {
  findParticipationHistory, getAttendanceSheet, recordAttendance,
} from "./attendance.ts";
import { formError, many, one, uuid, type Form } from "./route-forms.ts";
import { AttendancePage, ParticipationPage } from "./attendance-views.tsx";
import { isUuid } from "../../domain/ids.ts";

/** Attendance sheets of an event's dates, and who came to what. */
export const agendaAttendanceRoutes: FastifyPluginAsync = async (app) => {
  const showSheet = async (
    request: FastifyRequest, reply: FastifyReply, message?: string,
  ) => {
    const { slug, occurrenceId } = request.params as { slug: string;
      occurrenceId: string };
    const sheet = await getAttendanceSheet(request.ctx(), uuid(occurrenceId));
    if (sheet.event.slug !== slug) throw notFound();

    return sendPage(request, reply, `Présences : ${sheet.event.title}`,
      (page) => <AttendancePage page={page} sheet={sheet} message={message}
        action={`/agenda/${slug}/presences/${occurrenceId}`} />,
      message ? 400 : 200);
  };

  app.get("/agenda/:slug/presences/:occurrenceId", (request, reply) =>
    showSheet(request, reply));

  app.post("/agenda/:slug/presences/:occurrenceId", async (request, reply) => {
    const { slug, occurrenceId } = request.params as { slug: string;
      occurrenceId: string };
    const body = request.body as Form;
    const newcomers = new Set(many(body.new));
    const present = many(body.present).map((personId) => ({
      personId, newToAlliance: newcomers.has(personId) }));
    const added = one(body.add);
    if (added) present.push({ personId: added, newToAlliance:
      one(body.addNew) === "on" });
    try {
      if (present.some((p) => !isUuid(p.personId))) {
        throw invalid("Une des personnes indiquées n'existe pas.");
      }
      const count = await recordAttendance(request.ctx(), {
        occurrenceId: uuid(occurrenceId), present });
      return redirectWithFlash(reply,
        `/agenda/${slug}/presences/${occurrenceId}`,
        `Feuille de présence enregistrée : ${count} personne(s).`);
    } catch (error) {
      if (!formError(error)) throw error;
      return showSheet(request, reply, (error as Error).message);
    }
  });

  app.get("/agenda/participations/personnes/:id", async (request, reply) => {
    const { id } = request.params as { id: string };
    const history = await findParticipationHistory(request.ctx(),
      { personId: uuid(id) });

    return sendPage(request, reply, `Participations : ${history.name}`,
      () => <ParticipationPage {...history} />);
  });

  app.get("/agenda/participations/structures/:id", async (request, reply) => {
    const { id } = request.params as { id: string };
    const history = await findParticipationHistory(request.ctx(),
      { organisationId: uuid(id) });

    return sendPage(request, reply, `Participations : ${history.name}`,
      () => <ParticipationPage {...history} />);
  });
};
