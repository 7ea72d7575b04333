import { fold } from "../territories/search.ts";
import type { CsvRecord } from "./csv-reading.ts";

export type Column = keyof typeof HEADINGS;

// Folded heading → column. Spreadsheets name the same thing many ways.
const HEADINGS = {
  name: ["nom", "nom de la structure", "structure", "organisation"],
  kind: ["type", "type de structure", "nature", "categorie"],
  description: ["description", "presentation"],
  address: ["adresse"],
  postalCode: ["code postal", "cp"],
  city: ["ville", "localite"],
  communeCode: ["code insee", "commune insee", "code commune"],
  departement: ["departement", "dept", "dep"],
  themes: ["thematiques", "thematique", "themes", "theme"],
  skills: ["competences", "competence"],
  territories: ["territoires", "territoires d intervention",
    "territoires insee"],
  signatory: ["signataire de la charte", "signataire", "charte signee"],
  signedOn: ["date de signature", "date signature",
    "date de signature de la charte"],
  website: ["site web", "site", "site internet"],
  email: ["courriel", "e mail", "email", "mail", "adresse electronique"],
  phone: ["telephone", "tel"],
  staffNotes: ["commentaire", "commentaires", "notes", "remarques"],
};

// Export prefixes formula-like cells with a quote; take it off again.
const unguard = (cell: string) => cell.replace(/^'(?=[=+\-@])/, "").trim();

/** The column each known heading stands for; the others, to report. */
export function mapHeadings(cells: string[]) {
  const columns: Partial<Record<Column, number>> = {};
  const unknownHeadings: string[] = [];
  cells.forEach((cell, index) => {
    const key = fold(cell);
    const column = (Object.keys(HEADINGS) as Column[])
      .find((c) => HEADINGS[c].includes(key));
    if (column && columns[column] === undefined) columns[column] = index;
    else if (key) unknownHeadings.push(cell.trim());
  });

  return { columns, unknownHeadings };
}

export type Columns = Partial<Record<Column, number>>;

/** A row's cell in a column, blank when the file has no such column. */
export const cellOf = (row: CsvRecord, columns: Columns, column: Column) => {
  const index = columns[column];
  return index === undefined ? "" : unguard(row.cells[index] ?? "");
};
