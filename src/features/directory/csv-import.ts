import type { Ctx } from "../../domain/context.ts";
import { forbidden, invalid } from "../../domain/errors.ts";
import { mapHeadings } from "./csv-import-columns.ts";
import { lookUpPlaces } from "./csv-import-places.ts";
import { planChanges } from "./csv-import-plan.ts";
import { readRow } from "./csv-import-rows.ts";
import { ancestorsOf, writePlans } from "./csv-import-write.ts";
import {
  detectSeparator, readRecords, type Separator,
} from "./csv-reading.ts";
import { decodeCsv } from "./decode-csv.ts";
import { canImportDirectory } from "./policy.ts";

export interface ImportLine {
  /** Line of the file where the row starts (the heading is line 1). */
  line: number;
  name: string;
  outcome: "created" | "changed" | "unchanged" | "refused";
  message: string;
  warnings: string[];
}

export interface ImportReport {
  dryRun: boolean;
  encoding: "utf-8" | "windows-1252";
  separator: Separator;
  created: number;
  changed: number;
  unchanged: number;
  refused: number;
  /** Headings that matched no known column: their cells are ignored. */
  unknownHeadings: string[];
  lines: ImportLine[];
}

/** Above these, an import is split in several files: one import is one
 * transaction, and the embedded database serves nobody else meanwhile. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

class Rollback extends Error {}

/**
 * Imports organisations from a spreadsheet saved as CSV (staff only).
 * Rows that cannot be read are refused with their line number and reason
 * while the others import. A row naming an organisation already known (same
 * name, same town or one town blank) completes it instead of creating a
 * second one, so importing the same file again changes nothing. A dry run
 * does all of this and then rolls it back, to preview the report.
 *
 * Every row is read and checked in memory first, with the communes,
 * territories and namesakes of all rows looked up in a few queries; then
 * the changes are written a batch at a time. One import is one transaction,
 * and on the embedded database nobody else is served meanwhile.
 */
export async function importOrganisationsCsv(
  ctx: Ctx, bytes: Uint8Array, options: { dryRun?: boolean } = {},
): Promise<ImportReport> {
  if (!canImportDirectory(ctx.actor)) throw forbidden();
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw invalid("Le fichier dépasse 5 Mo : découpez-le en plusieurs "
      + "fichiers.");
  }
  const { text, encoding } = decodeCsv(bytes);
  if (!text.trim()) throw invalid("Le fichier est vide.");
  const separator = detectSeparator(text);
  const { records, unclosed } = readRecords(text, separator);
  if (records.length === 0) throw invalid("Le fichier est vide.");
  const [heading, ...rows] = records;
  const { columns, unknownHeadings } = mapHeadings(heading.cells);
  if (columns.name === undefined) {
    throw invalid("Le fichier n'a pas de colonne « Nom » (séparateurs "
      + "reconnus : point-virgule, virgule, tabulation).");
  }
  if (rows.length > MAX_IMPORT_ROWS) {
    throw invalid(`Le fichier compte ${rows.length.toLocaleString("fr-FR")} `
      + "lignes : "
      + `${MAX_IMPORT_ROWS.toLocaleString("fr-FR")} au plus par import. `
      + "Découpez-le en plusieurs fichiers.");
  }

  const report: ImportReport = {
    dryRun: Boolean(options.dryRun), encoding, separator,
    created: 0, changed: 0, unchanged: 0, refused: 0, unknownHeadings,
    lines: unclosed.map((line) => ({ line, name: "", outcome: "refused",
      message: `Un guillemet ouvert à la ligne ${line} n'est jamais fermé : `
        + "ligne ignorée.", warnings: [] })),
  };
  const filled = rows.filter((r) => r.cells.some((c) => c.trim() !== ""));
  try {
    await ctx.db.transaction(async (tx) => {
      const places = await lookUpPlaces(tx, filled, columns);
      const read = filled.map((row) =>
        readRow(row, heading.cells.length, columns, places));
      const plans = await planChanges(tx, read, report.lines);
      await writePlans(tx, plans, await ancestorsOf(tx, plans));
      if (options.dryRun) throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  report.lines.sort((a, b) => a.line - b.line);
  for (const line of report.lines) report[line.outcome]++;

  return report;
}
