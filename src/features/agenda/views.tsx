import type { PageCtx } from "../../web/layout.tsx";
import { Csrf, ErrorSummary, Field } from "../../web/layout.tsx";
import {
  formatDate, formatDateTime, formatPlacesLeft, formatShortDate, formatTime,
} from "../../web/format.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import type { ImportReport } from "./import.ts";
import type { EventInput } from "./input.ts";
import type { OccurrenceItem } from "./queries.ts";
import { EVENT_KINDS, type EventKind, type RegistrationStatus } from "./tables.ts";

export const KIND_LABELS: Record<EventKind, string> = {
  meetup: "Rendez-vous d'interconnaissance",
  office_hours: "Permanence",
  training: "Formation",
  fundamentals: "Session des fondamentaux",
  labelling: "Session de labellisation",
  assembly: "Assemblée des allié·es",
  other: "Autre",
};

const STATUS_LABELS: Record<RegistrationStatus, string> = {
  confirmed: "Inscrit·e",
  waiting: "Sur liste d'attente",
  cancelled: "Inscription annulée",
};

/** "mardi 5 octobre 2021, 10:00 – 11:30", or the days when all day. */
export function When(
  { startsAt, endsAt, allDay }: { startsAt: Date; endsAt: Date;
    allDay: boolean },
) {
  if (allDay) {
    const last = new Date(endsAt.getTime() - 12 * 3600_000);
    const same = formatDate(startsAt) === formatDate(last);

    return (
      <time dateTime={startsAt.toISOString()}>
        {same ? formatDate(startsAt)
          : `du ${formatDate(startsAt)} au ${formatDate(last)}`}
      </time>
    );
  }

  return (
    <time dateTime={startsAt.toISOString()}>
      {formatDateTime(startsAt)} – {formatTime(endsAt)}
    </time>
  );
}

/** Places left, full, or no limit; never a negative number. */
export function placesText(
  o: { capacity: number | null; confirmedCount: number; cancelled: boolean },
) {
  if (o.cancelled) return "Annulé";
  if (o.capacity === null) return "Places non limitées";

  return formatPlacesLeft(o.capacity - o.confirmedCount);
}

function KindSelect(
  { value, name = "kind", label, withAll, error }: { value?: string;
    name?: string; label: string; withAll?: boolean; error?: string },
) {
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for={`f-${name}`}>{label}</label>
      {error && <p class="error" id={`f-${name}-error`}>{error}</p>}
      <select id={`f-${name}`} name={name}
        aria-describedby={error ? `f-${name}-error` : undefined}>
        {withAll && <option value="">Tous les types</option>}
        {EVENT_KINDS.map((kind) => (
          <option value={kind} selected={value === kind}>
            {KIND_LABELS[kind]}</option>
        ))}
      </select>
    </div>
  );
}

function OccurrenceList({ items }: { items: OccurrenceItem[] }) {
  if (items.length === 0) return <p>Aucune date pour le moment.</p>;

  return (
    <ul class="agenda-list">
      {items.map((item) => (
        <li>
          <h3><a href={`/agenda/${item.slug}`}>{item.title}</a></h3>
          <p><When {...item} /></p>
          <p class="muted">{KIND_LABELS[item.kind]}
            {item.location && ` · ${item.location}`}
            {item.online && !item.location && " · En ligne"}
            {item.hostName && ` · accueilli par ${item.hostName}`}</p>
          <p>{placesText(item)}
            {item.myStatus && item.myStatus !== "cancelled"
              && ` · ${STATUS_LABELS[item.myStatus]}`}</p>
        </li>
      ))}
    </ul>
  );
}

export function AgendaPage({ page, items, kind, past, month }: {
  page: PageCtx; items: OccurrenceItem[]; kind?: EventKind; past: boolean;
  month: string;
}) {
  const staff = page.actor.kind === "person" && page.actor.role === "staff";

  return (
    <section>
      <h1>{past ? "Agenda : dates passées" : "Agenda"}</h1>
      <p>
        {past ? <a href="/agenda">Voir les dates à venir</a>
          : <a href="/agenda?periode=passe">Voir les dates passées</a>}
        {" · "}<a href={`/agenda/mois/${month}`}>Vue par mois</a>
        {" · "}<a href="/agenda.ics">S'abonner à l'agenda (iCalendar)</a>
        {page.actor.kind === "person" && <>
          {" · "}<a href="/agenda/mes-inscriptions">Mes inscriptions</a></>}
        {staff && <>{" · "}<a href="/agenda/nouveau">Nouvel évènement</a>
          {" · "}<a href="/admin/agenda/import">Importer un .ics</a></>}
      </p>
      <form method="get" action="/agenda" class="filters"
        aria-label="Filtrer l'agenda">
        {past && <input type="hidden" name="periode" value="passe" />}
        <KindSelect value={kind} label="Type d'évènement" withAll />
        <button type="submit">Filtrer</button>
      </form>
      <h2>{past ? "Dates passées, des plus récentes aux plus anciennes"
        : "Prochaines dates"}</h2>
      <OccurrenceList items={items} />
    </section>
  );
}

const WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi",
  "samedi", "dimanche"];

/** A month as an accessible table: one row per week, Monday first. */
export function MonthPage({ year, month, items, label, previous, next }: {
  year: number; month: number; items: OccurrenceItem[]; label: string;
  previous: string; next: string;
}) {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (number | null)[] = [...Array(lead).fill(null),
    ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 },
    (_, i) => cells.slice(i * 7, i * 7 + 7));
  const onDay = (day: number) => items.filter((item) => {
    const key = `${year}-${String(month).padStart(2, "0")}-${
      String(day).padStart(2, "0")}`;
    const start = item.startsAt.toLocaleDateString("sv-SE",
      { timeZone: "Europe/Paris" });
    const end = new Date(item.endsAt.getTime() - 1).toLocaleDateString(
      "sv-SE", { timeZone: "Europe/Paris" });

    return start <= key && key <= (item.allDay ? end : start);
  });

  return (
    <section>
      <h1>Agenda : {label}</h1>
      <p><a href={`/agenda/mois/${previous}`}>Mois précédent</a>
        {" · "}<a href={`/agenda/mois/${next}`}>Mois suivant</a>
        {" · "}<a href="/agenda">Liste des prochaines dates</a></p>
      <table class="calendar">
        <caption>{label}</caption>
        <thead><tr>{WEEKDAYS.map((d) => <th scope="col">{d}</th>)}</tr></thead>
        <tbody>
          {weeks.map((week) => (
            <tr>
              {week.map((day) => day === null ? <td /> : (
                <td>
                  <span class="day">{day}</span>
                  {onDay(day).length > 0 && (
                    <ul>
                      {onDay(day).map((item) => (
                        <li><a href={`/agenda/${item.slug}`}>
                          {!item.allDay && `${formatTime(item.startsAt)} `}
                          {item.title}</a>
                          {item.cancelled && " (annulé)"}</li>
                      ))}
                    </ul>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface EventPageData {
  event: { id: string; slug: string; title: string; kind: EventKind;
    description: string; location: string; allDay: boolean;
    cancelled: boolean; visibility: string };
  host: { id: string; name: string } | null;
  hasVideo: boolean;
  occurrences: { id: string; startsAt: Date; endsAt: Date;
    capacity: number | null; confirmedCount: number; cancelled: boolean;
    waitingCount: number; myStatus: RegistrationStatus | null;
    videoUrl: string | null }[];
}

export function EventPage({ page, data, now }: {
  page: PageCtx; data: EventPageData; now: Date;
}) {
  const { event } = data;
  const signedIn = page.actor.kind === "person";
  const staff = signedIn && (page.actor as any).role === "staff";
  const back = `/agenda/${event.slug}`;

  return (
    <article>
      <h1>{event.title}</h1>
      <p class="muted">{KIND_LABELS[event.kind]}
        {event.visibility === "allies" && " · réservé aux allié·es"}
        {event.cancelled && " · annulé"}</p>
      {data.host && <p>Accueilli par {data.host.name}</p>}
      {event.location && <p>Lieu : {event.location}</p>}
      {data.hasVideo && <p>En visioconférence : le lien est donné aux
        personnes inscrites.</p>}
      <div class="description"
        dangerouslySetInnerHTML={{ __html: renderMarkdown(event.description) }} />
      <p><a href={`/agenda/${event.slug}.ics`}>Ajouter à mon agenda (.ics)</a>
        {staff && <>{" · "}<a href={`/agenda/${event.slug}/modifier`}>
          Modifier</a></>}</p>

      <h2>Dates</h2>
      <table>
        <thead><tr><th scope="col">Date</th><th scope="col">Places</th>
          <th scope="col">Inscription</th></tr></thead>
        <tbody>
          {data.occurrences.map((o) => {
            const past = o.startsAt <= now;
            const full = o.capacity !== null && o.confirmedCount >= o.capacity;
            const active = o.myStatus === "confirmed"
              || o.myStatus === "waiting";

            return (
              <tr>
                <td><When {...o} allDay={event.allDay} /></td>
                <td>{placesText(o)}
                  {o.waitingCount > 0 && !o.cancelled
                    && ` · ${o.waitingCount} en liste d'attente`}</td>
                <td>
                  {active && <p>{STATUS_LABELS[o.myStatus!]}</p>}
                  {o.videoUrl && <p>Lien de visioconférence :{" "}
                    <a href={o.videoUrl}>{o.videoUrl}</a></p>}
                  {!past && !o.cancelled && !signedIn && (
                    <a href={`/connexion?suite=${encodeURIComponent(back)}`}>
                      Se connecter pour s'inscrire</a>)}
                  {!past && !o.cancelled && signedIn && !active && (
                    <form method="post"
                      action={`/agenda/dates/${o.id}/inscription`}>
                      <Csrf page={page} />
                      <input type="hidden" name="suite" value={back} />
                      <button type="submit">{full
                        ? "M'inscrire sur la liste d'attente"
                        : "M'inscrire"}</button>
                    </form>)}
                  {!past && signedIn && active && (
                    <form method="post"
                      action={`/agenda/dates/${o.id}/annulation`}>
                      <Csrf page={page} />
                      <input type="hidden" name="suite" value={back} />
                      <button type="submit" class="secondary">
                        Annuler mon inscription</button>
                    </form>)}
                  {staff && past && (
                    <a href={`/agenda/${event.slug}/presences/${o.id}`}>
                      Feuille de présence</a>)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {staff && !event.cancelled && (
        <form method="post" action={`/agenda/${event.slug}/annuler`}>
          <Csrf page={page} />
          <button type="submit" class="danger">Annuler l'évènement et
            prévenir les inscrit·es</button>
        </form>
      )}
    </article>
  );
}

export function MyRegistrationsPage({ page, items, feedUrl, now }: {
  page: PageCtx; feedUrl: string; now: Date;
  items: { occurrenceId: string; startsAt: Date; endsAt: Date;
    allDay: boolean; cancelled: boolean; status: RegistrationStatus;
    slug: string; title: string }[];
}) {
  return (
    <section>
      <h1>Mes inscriptions</h1>
      <h2>Mon agenda personnel</h2>
      <p>Abonnez votre logiciel d'agenda à cette adresse : elle contient
        toutes les dates, avec le lien de visioconférence de celles où vous
        êtes inscrit·e. Ne la partagez pas.</p>
      <p><code>{feedUrl}</code></p>
      <h2>Mes dates</h2>
      {items.length === 0 ? <p>Vous n'êtes inscrit·e à aucune date.</p> : (
        <ul class="agenda-list">
          {items.map((item) => (
            <li>
              <h3><a href={`/agenda/${item.slug}`}>{item.title}</a></h3>
              <p><When {...item} /></p>
              <p>{item.cancelled ? "Date annulée" : STATUS_LABELS[item.status]}</p>
              {item.startsAt > now && !item.cancelled && (
                <form method="post"
                  action={`/agenda/dates/${item.occurrenceId}/annulation`}>
                  <Csrf page={page} />
                  <input type="hidden" name="suite"
                    value="/agenda/mes-inscriptions" />
                  <button type="submit" class="secondary">
                    Annuler mon inscription</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export type EventFormValues = Record<keyof EventInput, string> & {
  version?: string; cancelRemoved?: string;
};

export function EventForm({ page, action, values, hosts, message, fields,
  editing }: {
  page: PageCtx; action: string; values: Partial<EventFormValues>;
  hosts: { id: string; name: string }[]; message?: string;
  fields?: Record<string, string>; editing: boolean;
}) {
  const errors = fields ?? {};
  const v = (name: keyof EventFormValues) => values[name] ?? "";
  const allDay = Boolean(values.allDay);

  return (
    <section>
      <h1>{editing ? "Modifier l'évènement" : "Nouvel évènement"}</h1>
      {(message || fields) && <ErrorSummary message={message}
        fields={fields} />}
      <form method="post" action={action}>
        <Csrf page={page} />
        {editing && <input type="hidden" name="version" value={v("version")} />}
        <Field name="title" label="Titre" value={v("title")} required
          error={errors.title} />
        <KindSelect value={v("kind")} label="Type" error={errors.kind} />
        <Field name="description" label="Description" multiline
          value={v("description")} hint="Markdown : **gras**, listes, liens."
          error={errors.description} />
        <div class={errors.hostOrganisationId ? "field has-error" : "field"}>
          <label for="f-hostOrganisationId">Structure d'accueil</label>
          {errors.hostOrganisationId && <p class="error">
            {errors.hostOrganisationId}</p>}
          <select id="f-hostOrganisationId" name="hostOrganisationId">
            <option value="">Aucune (l'association)</option>
            {hosts.map((h) => (
              <option value={h.id}
                selected={v("hostOrganisationId") === h.id}>{h.name}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <input type="checkbox" id="f-allDay" name="allDay" value="on"
            checked={allDay} />
          <label for="f-allDay" class="inline">Toute la journée (dates seules,
            sur un ou plusieurs jours)</label>
        </div>
        <Field name="start" label="Début (heure de Paris)" required
          type={allDay ? "date" : "datetime-local"} value={v("start")}
          hint="Pour un évènement sur la journée : aaaa-mm-jj."
          error={errors.start} />
        <Field name="end" label="Fin (heure de Paris)" required
          type={allDay ? "date" : "datetime-local"} value={v("end")}
          error={errors.end} />
        <Field name="location" label="Lieu" value={v("location")}
          error={errors.location} />
        <Field name="videoUrl" label="Lien de visioconférence" type="url"
          value={v("videoUrl")} error={errors.videoUrl}
          hint="Montré seulement aux personnes inscrites et confirmées." />
        <Field name="capacity" label="Nombre de places" type="number"
          value={v("capacity")} error={errors.capacity}
          hint="Vide : pas de limite ; au plus 100 000." />
        <Field name="registrationOpens" label="Ouverture des inscriptions"
          type="datetime-local" value={v("registrationOpens")}
          error={errors.registrationOpens} />
        <Field name="registrationCloses" label="Clôture des inscriptions"
          type="datetime-local" value={v("registrationCloses")}
          error={errors.registrationCloses}
          hint="Vide : jusqu'au début de chaque date." />
        <div class={errors.visibility ? "field has-error" : "field"}>
          <label for="f-visibility">Qui peut voir l'évènement</label>
          <select id="f-visibility" name="visibility">
            <option value="public" selected={v("visibility") !== "allies"}>
              Tout le monde</option>
            <option value="allies" selected={v("visibility") === "allies"}>
              Les allié·es seulement</option>
          </select>
        </div>
        <Field name="rrule" label="Récurrence (règle RRULE)" value={v("rrule")}
          error={errors.rrule} hint={"Vide : une seule date. Exemple : " +
            "FREQ=MONTHLY;BYDAY=1TU;COUNT=10 (le premier mardi de chaque " +
            "mois, 10 fois)."} />
        <Field name="exdates" label="Dates exclues" value={v("exdates")}
          error={errors.exdates} hint="aaaa-mm-jj, séparées par des espaces." />
        {editing && (
          <div class={errors.cancelRemoved ? "field has-error" : "field"}>
            {errors.cancelRemoved && <p class="error">{errors.cancelRemoved}</p>}
            <input type="checkbox" id="f-cancelRemoved" name="cancelRemoved"
              value="on" checked={Boolean(values.cancelRemoved)} />
            <label for="f-cancelRemoved" class="inline">Annuler les dates qui
              disparaissent et prévenir les inscrit·es</label>
          </div>
        )}
        <button type="submit">Enregistrer</button>
      </form>
    </section>
  );
}

export function AttendancePage({ page, sheet, action, message }: {
  page: PageCtx; action: string; message?: string;
  sheet: {
    event: { title: string; slug: string; allDay: boolean };
    occurrence: { startsAt: Date; endsAt: Date };
    lines: { personId: string; fullName: string; present: boolean;
      newToAlliance: boolean; status: RegistrationStatus | null }[];
    others: { id: string; fullName: string }[];
  };
}) {
  return (
    <section>
      <h1>Feuille de présence : {sheet.event.title}</h1>
      <p><When {...sheet.occurrence} allDay={sheet.event.allDay} />
        {" · "}<a href={`/agenda/${sheet.event.slug}`}>Retour à l'évènement</a></p>
      {message && <ErrorSummary message={message} />}
      <form method="post" action={action}>
        <Csrf page={page} />
        <table>
          <caption>Personnes inscrites ou déjà notées présentes</caption>
          <thead><tr><th scope="col">Personne</th><th scope="col">Inscription</th>
            <th scope="col">Présente</th><th scope="col">Nouvelle dans
              l'Alliance</th></tr></thead>
          <tbody>
            {sheet.lines.map((line) => (
              <tr>
                <th scope="row">{line.fullName}</th>
                <td>{line.status ? STATUS_LABELS[line.status] : "Non inscrite"}</td>
                <td><input type="checkbox" name="present" value={line.personId}
                  checked={line.present}
                  aria-label={`${line.fullName} présente`} /></td>
                <td><input type="checkbox" name="new" value={line.personId}
                  checked={line.newToAlliance}
                  aria-label={`${line.fullName} nouvelle dans l'Alliance`} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <fieldset>
          <legend>Ajouter une personne venue sans inscription</legend>
          <div class="field">
            <label for="f-add">Personne</label>
            <select id="f-add" name="add">
              <option value="">—</option>
              {sheet.others.map((p) => <option value={p.id}>{p.fullName}</option>)}
            </select>
          </div>
          <div class="field">
            <input type="checkbox" id="f-addNew" name="addNew" value="on" />
            <label for="f-addNew" class="inline">Nouvelle dans l'Alliance</label>
          </div>
        </fieldset>
        <button type="submit">Enregistrer la feuille</button>
      </form>
    </section>
  );
}

export function ParticipationPage({ name, items }: {
  name: string;
  items: { occurrenceId: string; startsAt: Date; slug: string; title: string;
    kind: EventKind; fullName: string; newToAlliance: boolean }[];
}) {
  return (
    <section>
      <h1>Participations : {name}</h1>
      {items.length === 0 ? <p>Aucune présence enregistrée.</p> : (
        <table>
          <thead><tr><th scope="col">Date</th><th scope="col">Évènement</th>
            <th scope="col">Type</th><th scope="col">Personne</th></tr></thead>
          <tbody>
            {items.map((item) => (
              <tr>
                <td>{formatShortDate(item.startsAt)}</td>
                <td><a href={`/agenda/${item.slug}`}>{item.title}</a></td>
                <td>{KIND_LABELS[item.kind]}</td>
                <td>{item.fullName}
                  {item.newToAlliance && " (première venue)"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ImportPage({ page, report, message }: {
  page: PageCtx; report?: ImportReport; message?: string;
}) {
  return (
    <section>
      <h1>Importer un agenda (.ics)</h1>
      <p>Les évènements déjà importés (même UID) sont mis à jour, jamais
        dupliqués.</p>
      {message && <ErrorSummary message={message} />}
      {report && (
        <div role="status">
          <h2>Résultat</h2>
          <p>{report.created} évènement(s) créé(s), {report.updated} mis à
            jour, {report.occurrences} date(s).</p>
          {report.errors.length > 0 && (
            <ul>{report.errors.map((e) => (
              <li>{e.summary || e.uid} : {e.message}</li>))}</ul>
          )}
        </div>
      )}
      <form method="post" enctype="multipart/form-data"
        action={`/admin/agenda/import?_csrf=${encodeURIComponent(
          page.csrfToken)}`}>
        <div class="field">
          <label for="f-file">Fichier iCalendar</label>
          <input type="file" id="f-file" name="file" accept=".ics,text/calendar"
            required />
        </div>
        <button type="submit">Importer</button>
      </form>
    </section>
  );
}
