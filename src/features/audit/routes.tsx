import type { FastifyPluginAsync } from "fastify";
import { formatDateTime } from "../../web/format.ts";
import { sendPage } from "../../web/render.tsx";
import {
  exportAuditCsv, findAuditActions, findAuditEvents, type AuditEvent,
  type AuditFilter,
} from "./audit.ts";

/** French names of the steps the trail records. */
export const ACTION_LABELS: Record<string, string> = {
  "label.configured": "Label configuré",
  "collective.named": "Collectif nommé",
  "collective.member_added": "Membre ajouté au collectif",
  "collective.member_removed": "Membre retiré du collectif",
  "label.proposed": "Initiative proposée",
  "ballot.opened": "Scrutin ouvert",
  "ballot.vote_cast": "Vote exprimé",
  "ballot.vote_changed": "Vote modifié",
  "ballot.closed": "Scrutin clos",
  "label.decided": "Décision",
  "label.reasons_added": "Motifs ajoutés",
  "label.withdrawn": "Label retiré",
};

type Query = Record<"action" | "sujet" | "objet" | "du" | "au", string>;

const toFilter = (q: Partial<Query>): AuditFilter => ({
  action: q.action || undefined, subjectKind: q.sujet || undefined,
  subjectId: q.objet || undefined, from: q.du || undefined,
  to: q.au || undefined,
});

export const auditRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Partial<Query> }>("/admin/journal",
    async (request, reply) => {
      const q = request.query;
      const events = await findAuditEvents(request.ctx(), toFilter(q));
      const actions = await findAuditActions(request.ctx());
      const csv = `/admin/journal.csv?${new URLSearchParams(
        Object.entries(q).filter(([, v]) => v) as [string, string][])}`;

      return sendPage(request, reply, "Journal",
        () => <AuditPage q={q} events={events} actions={actions} csv={csv} />);
    });

  app.get<{ Querystring: Partial<Query> }>("/admin/journal.csv",
    async (request, reply) => {
      const csv = await exportAuditCsv(request.ctx(), toFilter(request.query));

      return reply.type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="journal.csv"')
        .header("cache-control", "no-store").send(csv);
    });
};

function AuditPage({ q, events, actions, csv }: {
  q: Partial<Query>; events: AuditEvent[]; actions: string[]; csv: string;
}) {
  return (
    <section>
      <h1>Journal</h1>
      <p>Chaque étape des labellisations et des scrutins, du plus récent au
        plus ancien. Les choix de vote n'y figurent pas : ils restent secrets
        jusqu'à la clôture et se lisent ensuite sur la page du scrutin.</p>
      <form method="get" action="/admin/journal" class="filters">
        <div class="field">
          <label for="f-action">Action</label>
          <select id="f-action" name="action">
            <option value="">Toutes</option>
            {actions.map((a) => (
              <option value={a} selected={q.action === a}>
                {ACTION_LABELS[a] ?? a}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-objet">Identifiant de l'objet</label>
          <input id="f-objet" name="objet" value={q.objet ?? ""} />
        </div>
        <div class="field">
          <label for="f-du">Du</label>
          <input id="f-du" name="du" type="date" value={q.du ?? ""} />
        </div>
        <div class="field">
          <label for="f-au">Au</label>
          <input id="f-au" name="au" type="date" value={q.au ?? ""} />
        </div>
        <button type="submit">Filtrer</button>
      </form>
      <p><a href={csv}>Exporter en CSV</a></p>
      <table>
        <caption>{events.length} événement{events.length > 1 ? "s" : ""}</caption>
        <thead><tr><th scope="col">Date</th><th scope="col">Acteur</th>
          <th scope="col">Action</th><th scope="col">Objet</th>
          <th scope="col">Détails</th></tr></thead>
        <tbody>
          {events.map((e) => (
            <tr>
              <td>{formatDateTime(e.at)}</td>
              <td>{e.actorName}</td>
              <td>{ACTION_LABELS[e.action] ?? e.action}</td>
              <td><a href={`/admin/journal?objet=${e.subjectId}`}>
                {e.subjectKind} {e.subjectId.slice(0, 8)}</a></td>
              <td><code>{JSON.stringify(e.details)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
