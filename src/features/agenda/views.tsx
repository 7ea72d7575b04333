import type { PageCtx } from "../../web/layout.tsx";
import {
  formatDate, formatDateTime, formatPlacesLeft, formatTime,
} from "../../web/format.ts";
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

export const STATUS_LABELS: Record<RegistrationStatus, string> = {
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

/** Event kinds to choose from: the agenda's filter, the event form. */
export function KindSelect(
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
