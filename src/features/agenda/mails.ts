import type { Config } from "../../config.ts";
import type { NewMail } from "../../mail/outbox.ts";
import { formatDate, formatDateTime, formatTime } from "../../web/format.ts";
import { buildCalendar, eventUrl } from "./ical.ts";
import type { events, occurrences } from "./tables.ts";

type EventRow = typeof events.$inferSelect;
type OccurrenceRow = Pick<typeof occurrences.$inferSelect,
  "id" | "startsAt" | "endsAt" | "cancelled">;

export interface Recipient {
  email: string | null;
  fullName: string;
}

/** "le mardi 5 octobre 2021 à 10:00" or the days of an all-day event. */
export function describeWhen(
  event: Pick<EventRow, "allDay">, occurrence: Pick<OccurrenceRow,
    "startsAt" | "endsAt">,
) {
  if (event.allDay) {
    const last = new Date(occurrence.endsAt.getTime() - 12 * 3600_000);
    const first = formatDate(occurrence.startsAt);

    return first === formatDate(last) ? `le ${first}`
      : `du ${first} au ${formatDate(last)}`;
  }

  return `le ${formatDateTime(occurrence.startsAt)} (jusqu'à ${
    formatTime(occurrence.endsAt)}, heure de Paris)`;
}

/** The .ics of one occurrence, attached to confirmations. */
export function occurrenceAttachment(
  config: Config, event: EventRow, occurrence: OccurrenceRow,
  withVideo: boolean,
) {
  const content = buildCalendar(config, event.title, [{
    occurrenceId: occurrence.id, slug: event.slug, title: event.title,
    kind: event.kind, description: event.description,
    location: event.location, allDay: event.allDay,
    startsAt: occurrence.startsAt, endsAt: occurrence.endsAt,
    cancelled: occurrence.cancelled || event.cancelled,
    updatedAt: event.updatedAt,
    videoUrl: withVideo ? event.videoUrl : null,
  }]);

  return { filename: `${event.slug}.ics`,
    contentType: "text/calendar; charset=utf-8; method=PUBLISH", content };
}

function body(config: Config, to: Recipient, lines: string[], slug: string) {
  return [`Bonjour ${to.fullName},`, "", ...lines, "",
    `Page de l'évènement : ${eventUrl(config, slug)}`,
    `Vos inscriptions : ${config.baseUrl}/agenda/mes-inscriptions`, "",
    `— ${config.siteName}`].join("\n");
}

function place(event: EventRow, withVideo: boolean) {
  const lines: string[] = [];
  if (event.location) lines.push(`Lieu : ${event.location}`);
  if (withVideo && event.videoUrl) {
    lines.push(`Lien de visioconférence : ${event.videoUrl}`);
  }

  return lines;
}

/** A confirmed place, with the date attached as a calendar file. */
export function confirmationMail(
  config: Config, to: Recipient, event: EventRow, occurrence: OccurrenceRow,
  promoted = false,
): NewMail {
  const lines = [promoted
    ? `Une place s'est libérée : vous quittez la liste d'attente et votre ` +
      `inscription à « ${event.title} » ${describeWhen(event, occurrence)} ` +
      "est confirmée."
    : `Votre inscription à « ${event.title} » ${
      describeWhen(event, occurrence)} est confirmée.`,
  ...place(event, true), "",
  "Le fichier joint ajoute cette date à votre agenda."];

  return {
    to: to.email!,
    subject: promoted ? `Place confirmée : ${event.title}`
      : `Inscription confirmée : ${event.title}`,
    text: body(config, to, lines, event.slug),
    attachments: [occurrenceAttachment(config, event, occurrence, true)],
  };
}

export function waitingMail(
  config: Config, to: Recipient, event: EventRow, occurrence: OccurrenceRow,
): NewMail {
  return {
    to: to.email!,
    subject: `Liste d'attente : ${event.title}`,
    text: body(config, to, [`« ${event.title} » ${
      describeWhen(event, occurrence)} est complet : vous êtes inscrit·e ` +
      "sur la liste d'attente. Nous vous écrirons si une place se libère."],
    event.slug),
  };
}

export function reminderMail(
  config: Config, to: Recipient, event: EventRow, occurrence: OccurrenceRow,
  dedupeKey: string,
): NewMail {
  return {
    to: to.email!,
    subject: `Rappel : ${event.title} demain`,
    text: body(config, to, [`Pour rappel, vous êtes inscrit·e à « ${
      event.title} » ${describeWhen(event, occurrence)}.`,
    ...place(event, true), "",
    "Si vous ne pouvez plus venir, annulez votre inscription pour libérer " +
    "votre place."], event.slug),
    dedupeKey,
  };
}

export function cancellationMail(
  config: Config, to: Recipient, event: EventRow, occurrence: OccurrenceRow,
): NewMail {
  return {
    to: to.email!,
    subject: `Annulé : ${event.title}`,
    text: body(config, to, [`« ${event.title} » ${
      describeWhen(event, occurrence)} est annulé. Votre inscription ` +
      "n'a plus d'objet ; veuillez nous excuser."], event.slug),
  };
}

export function rescheduleMail(
  config: Config, to: Recipient, event: EventRow, occurrence: OccurrenceRow,
): NewMail {
  return {
    to: to.email!,
    subject: `Horaire modifié : ${event.title}`,
    text: body(config, to, [`L'horaire de « ${event.title} » a changé : ` +
      `il a désormais lieu ${describeWhen(event, occurrence)}. Votre ` +
      "inscription est conservée."], event.slug),
    attachments: [occurrenceAttachment(config, event, occurrence, true)],
  };
}
