import type { PageCtx } from "../../web/layout.tsx";
import { Csrf } from "../../web/layout.tsx";
import { renderMarkdown } from "../../web/markdown.ts";
import type { EventKind, RegistrationStatus } from "./tables.ts";
import { KIND_LABELS, placesText, STATUS_LABELS, When } from "./views.tsx";

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
