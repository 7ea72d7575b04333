import type { ImportReport } from "./csv-import.ts";

const OUTCOMES: Record<string, string> = {
  created: "créée", changed: "complétée", unchanged: "inchangée",
  refused: "refusée",
};

/** What an import did, or would do for a preview, row by row. */
export function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <section aria-labelledby="rapport">
      <h2 id="rapport">{report.dryRun ? "Aperçu de l'import"
        : "Rapport d'import"}</h2>
      <p>{report.created} créée(s), {report.changed} complétée(s),
        {" "}{report.unchanged} inchangée(s), {report.refused} refusée(s).
        {" "}Fichier lu en {report.encoding === "utf-8" ? "UTF-8"
          : "Windows-1252"}, séparateur {report.separator === "\t" ? "tabulation"
            : `« ${report.separator} »`}.</p>
      {report.unknownHeadings.length > 0 && (
        <p>Colonnes ignorées : {report.unknownHeadings.join(", ")}.</p>
      )}
      <table>
        <thead><tr><th scope="col">Ligne</th><th scope="col">Nom</th>
          <th scope="col">Résultat</th><th scope="col">Détails</th></tr></thead>
        <tbody>
          {report.lines.map((l) => (
            <tr>
              <td>{l.line}</td><td>{l.name}</td><td>{OUTCOMES[l.outcome]}</td>
              <td>{[l.message, ...l.warnings].join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
