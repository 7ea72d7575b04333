import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { DomainError } from "../../domain/errors.ts";
import { parisDay, toParisLocal } from "../../domain/time.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import {
  assertCanManage, cancelEvent, createEvent, updateEvent, type EventRow,
} from "./events.ts";
import { findHostChoices, getEventForEdit } from "./queries.ts";
import { formError, one, type Form } from "./route-forms.ts";
import { EventForm, type EventFormValues } from "./edit-views.tsx";

/** The form's text fields, as they were typed. */
function formValues(body: Form): Partial<EventFormValues> {
  const names = ["title", "kind", "description", "hostOrganisationId",
    "start", "end", "allDay", "location", "videoUrl", "capacity",
    "registrationOpens", "registrationCloses", "visibility", "rrule",
    "exdates", "version", "cancelRemoved"] as const;

  return Object.fromEntries(names.map((n) => [n, one(body[n])]));
}

/** An event's stored fields in the form's Paris wall-clock terms. */
function eventFormValues(event: EventRow): Partial<EventFormValues> {
  const lastDay = new Date(event.endsAt.getTime() - 12 * 3600_000);

  return {
    title: event.title, kind: event.kind, description: event.description,
    hostOrganisationId: event.hostOrganisationId ?? "",
    allDay: event.allDay ? "on" : "",
    start: event.allDay ? parisDay(event.startsAt) : toParisLocal(event.startsAt),
    end: event.allDay ? parisDay(lastDay) : toParisLocal(event.endsAt),
    location: event.location, videoUrl: event.videoUrl ?? "",
    capacity: event.capacity === null ? "" : String(event.capacity),
    registrationOpens: event.registrationOpensAt
      ? toParisLocal(event.registrationOpensAt) : "",
    registrationCloses: event.registrationClosesAt
      ? toParisLocal(event.registrationClosesAt) : "",
    visibility: event.visibility, rrule: event.rrule ?? "",
    exdates: event.exdates.map(parisDay).join(" "),
    version: String(event.version),
  };
}

/** Staff's pages that create, change and cancel an event. */
export const agendaEditRoutes: FastifyPluginAsync = async (app) => {
  const showForm = async (
    request: FastifyRequest, reply: FastifyReply, action: string,
    values: Partial<EventFormValues>, editing: boolean,
    error?: DomainError,
  ) => {
    const hosts = await findHostChoices(request.ctx());

    return sendPage(request, reply, editing ? "Modifier l'évènement"
      : "Nouvel évènement", (page) => (
      <EventForm page={page} action={action} values={values} hosts={hosts}
        editing={editing} message={error?.message}
        fields={error && Object.keys(error.fields).length
          ? error.fields : undefined} />
    ), error ? (error.code === "conflict" ? 409 : 400) : 200);
  };

  app.get("/agenda/nouveau", async (request, reply) => {
    assertCanManage(request.ctx());

    return showForm(request, reply, "/agenda/nouveau",
      { kind: "meetup", visibility: "public" }, false);
  });

  app.post("/agenda/nouveau", async (request, reply) => {
    const body = request.body as Form;
    try {
      const event = await createEvent(request.ctx(), formValues(body));
      return redirectWithFlash(reply, `/agenda/${event.slug}`,
        "Évènement créé.");
    } catch (error) {
      if (!formError(error)) throw error;
      return showForm(request, reply, "/agenda/nouveau", formValues(body),
        false, error as DomainError);
    }
  });

  app.get("/agenda/:slug/modifier", async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const ctx = request.ctx();
    assertCanManage(ctx);
    const event = await getEventForEdit(ctx, slug);

    return showForm(request, reply, `/agenda/${slug}/modifier`,
      eventFormValues(event), true);
  });

  app.post("/agenda/:slug/modifier", async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const body = request.body as Form;
    const ctx = request.ctx();
    assertCanManage(ctx);
    const event = await getEventForEdit(ctx, slug);
    const values = formValues(body);
    try {
      const saved = await updateEvent(ctx, { ...values, id: event.id,
        version: values.version ?? "" });
      return redirectWithFlash(reply, `/agenda/${saved.slug}`,
        "Évènement modifié.");
    } catch (error) {
      if (!formError(error)) throw error;
      return showForm(request, reply, `/agenda/${slug}/modifier`, values,
        true, error as DomainError);
    }
  });

  app.post("/agenda/:slug/annuler", async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const ctx = request.ctx();
    assertCanManage(ctx);
    const event = await getEventForEdit(ctx, slug);
    await cancelEvent(ctx, { id: event.id });

    return redirectWithFlash(reply, `/agenda/${slug}`,
      "Évènement annulé ; les personnes inscrites sont prévenues.");
  });
};
