import { stringify } from "csv-stringify/sync";

/**
 * A spreadsheet cell starting with one of these is run as a formula by
 * Excel or LibreOffice (a tab or a carriage return before one too): a
 * leading quote keeps it plain text.
 */
export const guardCell = (value: string) =>
  /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;

/**
 * Rows as a CSV file that French Excel opens cleanly: UTF-8 with BOM,
 * semicolons, CRLF, every cell guarded against formulas. Any text a
 * person typed (a name, a note) may end up in one of these files.
 */
export function toSpreadsheetCsv(headings: string[], rows: string[][]): Buffer {
  const text = stringify([headings, ...rows.map((r) => r.map(guardCell))],
    { delimiter: ";", record_delimiter: "\r\n", quoted_match: /[";\r\n]/ });

  return Buffer.concat([Buffer.from("\uFEFF", "utf8"), Buffer.from(text)]);
}
