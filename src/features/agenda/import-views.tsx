import type { PageCtx } from "../../web/layout.tsx";
import { ErrorSummary } from "../../web/layout.tsx";
import type { ImportReport } from "./import.ts";

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
