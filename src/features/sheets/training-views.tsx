import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate, formatShortDate } from "../../web/format.ts";
import type {
  findAvailableFacilitators, findFacilitators, findTrainingAttendees,
  findTrainingRequests, findTrainingSessions,
} from "./facilitators.ts";
import { str, type FormState } from "./views.tsx";

type Rows<F extends (...a: any) => any> = Awaited<ReturnType<F>>;


/** Facilitators for allies; own availability or a request to be trained. */
export function FacilitatorsPage({ page, facilitators, availability,
  request, form }: {
  page: PageCtx; facilitators: Rows<typeof findAvailableFacilitators>;
  availability: { available: boolean; themes: string[];
    languages: string[] } | null;
  request: { createdAt: Date } | null; form: FormState;
}) {
  const me = page.actor.kind === "person" ? page.actor : null;
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};
  const available = v.available !== undefined ? v.available === "oui"
    : availability?.available ?? true;

  return (
    <section>
      <h1>Maïeuticien·nes</h1>
      <p>Les maïeuticien·nes sont des allié·es formé·es au cycle de
        médiation. Ils·elles aident à écrire les fiches d'expérience.</p>
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <h2>Disponibles pour accompagner une fiche</h2>
      {facilitators.length === 0 ? <p>Personne ne s'est encore dit
        disponible.</p> : (
        <ul class="agenda-list">{facilitators.map((p) => (
          <li><h3><a href={`/personnes/${p.id}`}>{p.fullName}</a></h3>
            {p.themes.length > 0 && <p>Thèmes : {p.themes.join(", ")}</p>}
            {p.languages.length > 0 && <p>Langues : {p.languages.join(", ")}
            </p>}</li>
        ))}</ul>
      )}
      {me?.isFacilitator ? (
        <section>
          <h2>Ma disponibilité</h2>
          <form method="post" action="/maieuticiens/disponibilite">
            <Csrf page={page} />
            <fieldset>
              <legend>Êtes-vous disponible pour accompagner une fiche ?</legend>
              <div><input type="radio" id="available-yes" name="available"
                value="oui" checked={available} />
              <label class="inline" for="available-yes">Oui</label></div>
              <div><input type="radio" id="available-no" name="available"
                value="non" checked={!available} />
              <label class="inline" for="available-no">Non</label></div>
            </fieldset>
            <Field name="themes" label="Thèmes" multiline error={f.themes}
              value={v.themes !== undefined ? str(v.themes)
                : availability?.themes.join("\n")}
              hint="Un par ligne." />
            <Field name="languages" label="Langues" multiline
              value={v.languages !== undefined ? str(v.languages)
                : availability?.languages.join("\n")}
              hint="Une par ligne : français, anglais…" />
            <button type="submit">Enregistrer ma disponibilité</button>
          </form>
        </section>
      ) : me && (
        <section>
          <h2>Devenir maïeuticien·ne</h2>
          {request ? <p>Votre demande de formation est enregistrée depuis le
            {" "}{formatDate(request.createdAt)}. L'équipe vous proposera une
            date.</p> : (
            <form method="post" action="/maieuticiens/formation">
              <Csrf page={page} />
              <p>La formation au cycle de médiation est gratuite ; en retour,
                les maïeuticien·nes accompagnent l'écriture de fiches.</p>
              <Field name="message" label="Votre message (facultatif)"
                multiline value={str(v.message)} error={f.message} />
              <button type="submit">Je souhaite être formé·e</button>
            </form>
          )}
        </section>
      )}
    </section>
  );
}

/** Staff: requests to be trained, recording trainings, facilitators. */
export function TrainingAdminPage({ page, requests, sessions, attendees,
  facilitators, form }: {
  page: PageCtx; requests: Rows<typeof findTrainingRequests>;
  sessions: Rows<typeof findTrainingSessions>;
  attendees: Rows<typeof findTrainingAttendees> | null;
  facilitators: Rows<typeof findFacilitators>; form: FormState;
}) {
  return (
    <section>
      <h1>Formations et maïeuticien·nes</h1>
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <h2>Demandes de formation</h2>
      {requests.length === 0 ? <p>Aucune demande en attente.</p> : (
        <table>
          <caption class="visually-hidden">Demandes de formation</caption>
          <thead><tr><th scope="col">Personne</th><th scope="col">Depuis le
            </th><th scope="col">A déjà suivi une formation</th>
            <th scope="col">Message</th><th scope="col">Action</th></tr></thead>
          <tbody>{requests.map((r) => (
            <tr><td><a href={`/personnes/${r.personId}`}>{r.fullName}</a></td>
              <td>{formatShortDate(r.createdAt)}</td>
              <td>{r.hasAttendedTraining ? "Oui" : "Non"}</td>
              <td>{r.message}</td>
              <td><form method="post" class="inline"
                action={`/admin/formations/demandes/${r.id}/clore`}>
                <Csrf page={page} />
                <button type="submit" class="link">Clore<span
                  class="visually-hidden"> la demande de {r.fullName}</span>
                </button></form></td></tr>
          ))}</tbody>
        </table>
      )}
      <h2>Enregistrer une formation suivie</h2>
      <form method="get" action="/admin/formations" class="filters">
        <div class="field">
          <label for="f-seance">Date de formation</label>
          <select id="f-seance" name="seance">
            {sessions.map((s) => (
              <option value={s.id} selected={attendees?.session.id === s.id}>
                {s.title} — {formatShortDate(s.startsAt)} ({s.attendees}
                {" "}présent·es)</option>
            ))}
          </select>
        </div>
        <button type="submit">Voir les présent·es</button>
      </form>
      {attendees && (
        <form method="post" action="/admin/formations/suivies">
          <Csrf page={page} />
          <input type="hidden" name="occurrenceId"
            value={attendees.session.id} />
          <fieldset id="f-personIds">
            <legend>Présent·es à « {attendees.session.title} » le
              {" "}{formatShortDate(attendees.session.startsAt)} : qui a
              suivi la formation ?</legend>
            {attendees.attendees.length === 0 && <p>Personne n'est noté·e
              présent·e à cette date.</p>}
            {attendees.attendees.map((a) => (
              <div><input type="checkbox" id={`p-${a.id}`} name="personIds"
                value={a.id} checked={a.completed} />
              <label class="inline" for={`p-${a.id}`}>{a.fullName}
                {a.completed && " (déjà enregistré·e)"}
                {a.isFacilitator && " — maïeuticien·ne"}</label></div>
            ))}
          </fieldset>
          <div class="field">
            <input type="checkbox" id="f-makeFacilitators"
              name="makeFacilitators" value="oui" checked />
            <label class="inline" for="f-makeFacilitators">Les déclarer
              maïeuticien·nes</label>
          </div>
          <button type="submit">Enregistrer</button>
        </form>
      )}
      <h2>Maïeuticien·nes</h2>
      <p class="hint">« Fiches accompagnées » compte toutes les fiches dont la
        personne est maïeuticien·ne, publiées ou non ; la colonne suivante
        ne compte que les publiées.</p>
      {facilitators.length === 0 ? <p>Aucun·e maïeuticien·ne.</p> : (
        <table>
          <caption class="visually-hidden">Maïeuticien·nes</caption>
          <thead><tr><th scope="col">Personne</th>
            <th scope="col">Disponible</th><th scope="col">Thèmes</th>
            <th scope="col">Langues</th><th scope="col">Formations</th>
            <th scope="col">Fiches accompagnées</th>
            <th scope="col">Dont publiées</th></tr></thead>
          <tbody>{facilitators.map((p) => (
            <tr><td><a href={`/personnes/${p.id}`}>{p.fullName}</a></td>
              <td>{p.available === null ? "Non indiqué"
                : p.available ? "Oui" : "Non"}</td>
              <td>{(p.themes ?? []).join(", ")}</td>
              <td>{(p.languages ?? []).join(", ")}</td>
              <td>{p.trainings}</td><td>{p.sheets}</td>
              <td>{p.publishedSheets}</td></tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}
