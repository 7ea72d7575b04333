import type { PageCtx } from "../../web/layout.tsx";
import { Csrf, ErrorSummary } from "../../web/layout.tsx";
import { formatShortDate } from "../../web/format.ts";
import type { EventKind, RegistrationStatus } from "./tables.ts";
import { KIND_LABELS, STATUS_LABELS, When } from "./views.tsx";

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
