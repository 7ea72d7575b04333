import { DomainError } from "../../domain/errors.ts";
import { ownValue } from "../../domain/records.ts";
import { fold, territoryIdOfCode } from "../territories/search.ts";
import { cellOf, type Column, type Columns } from "./csv-import-columns.ts";
import {
  findCommune, splitCodes, type Places,
} from "./csv-import-places.ts";
import type { ImportLine } from "./csv-import.ts";
import type { CsvRecord } from "./csv-reading.ts";
import {
  validateOrganisation, type OrganisationInput,
} from "./organisation-input.ts";
import type { OrganisationKind } from "./tables.ts";

const KINDS: Record<string, OrganisationKind> = {
  "association": "association",
  "collectivite": "local_authority",
  "collectivite territoriale": "local_authority",
  "commune": "local_authority",
  "ville": "local_authority",
  "epci": "local_authority",
  "etablissement public": "public_body",
  "entreprise": "company",
  "societe": "company",
  "bureau d etudes recherche": "consultancy",
  "bureau d etudes": "consultancy",
  "bureau d etudes conseil": "consultancy",
  "conseil": "consultancy",
  "recherche": "research",
  "laboratoire": "research",
  "universite": "research",
  "collectif": "collective",
  "personne": "individual",
  "individuel": "individual",
  "particulier": "individual",
};

/** "12/02/2020", "12-02-20" or "2020-02-12" → "2020-02-12". */
export function parseFrenchDate(text: string): string | null | undefined {
  const value = text.trim();
  if (!value) return null;
  let y: number; let m: number; let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(value);
  if (iso) [y, m, d] = [+iso[1], +iso[2], +iso[3]];
  else if (fr) [d, m, y] = [+fr[1], +fr[2], +fr[3] < 100 ? 2000 + +fr[3] : +fr[3]];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;

  return date.toISOString().slice(0, 10);
}

export type Checked = ReturnType<typeof validateOrganisation>;

export type ReadRow = ImportLine | { line: number; checked: Checked;
  warnings: string[] };

/** A row as the organisation it describes, or refused with the reason. */
export function readRow(
  row: CsvRecord, width: number, columns: Columns, places: Places,
): ReadRow {
  const get = (column: Column) => cellOf(row, columns, column);
  const name = get("name");
  const refuse = (message: string): ImportLine =>
    ({ line: row.line, name, outcome: "refused", message, warnings: [] });

  if (row.cells.slice(width).some((c) => c.trim() !== "")) {
    return refuse(`La ligne compte ${row.cells.length} colonnes au lieu de `
      + `${width} : un séparateur en trop ou un guillemet mal placé ?`);
  }
  if (!name) return refuse("Le nom de la structure manque.");

  const warnings: string[] = [];
  const input = readInput(get, places, warnings);
  if (typeof input === "string") return refuse(input);
  try {
    return { line: row.line, checked: validateOrganisation(input), warnings };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return refuse(Object.values(error.fields).join(" ") || error.message);
  }
}

function readInput(
  get: (c: Column) => string, places: Places, warnings: string[],
): OrganisationInput | string {
  const kindText = get("kind");
  const kind = kindText ? guessKind(kindText) : null;
  if (kindText && !kind) {
    warnings.push(`Type « ${kindText} » inconnu : laissé vide.`);
  }
  const signedOn = parseFrenchDate(get("signedOn"));
  if (signedOn === undefined) {
    return `Date de signature illisible : « ${get("signedOn")} » `
      + "(attendu 12/02/2020 ou 2020-02-12).";
  }
  const signatoryText = fold(get("signatory"));
  const signatory = ["oui", "o", "x", "yes", "vrai", "1"]
    .includes(signatoryText);
  if (signatoryText && !signatory
    && !["non", "n", "no", "faux", "0"].includes(signatoryText)) {
    warnings.push(`Signataire « ${get("signatory")} » non compris : `
      + "considéré comme non.");
  }
  const territoryIds: string[] = [];
  for (const code of splitCodes(get("territories"))) {
    const id = territoryIdOfCode(code);
    if (id && places.known.has(id)) territoryIds.push(id);
    else warnings.push(`Territoire « ${code} » inconnu : ignoré.`);
  }
  const commune = findCommune(places, {
    code: get("communeCode"), postalCode: get("postalCode"),
    city: get("city"), departement: get("departement"),
  });
  if (!commune.id && get("city")) {
    warnings.push(commune.namesakes > 1
      ? `Plusieurs communes s'appellent « ${get("city")} » : précisez le `
        + "code postal."
      : `Commune « ${get("city")} » non reconnue.`);
  }

  return {
    name: get("name"), kind, description: get("description"),
    themes: splitCell(get("themes")), skills: splitCell(get("skills")),
    website: get("website"), address: get("address"),
    postalCode: get("postalCode"), city: get("city"),
    communeId: commune.id, territoryIds, charterSignatory: signatory,
    charterSignedOn: signedOn, email: get("email"), phone: get("phone"),
    staffNotes: get("staffNotes"),
  };
}

// Spreadsheets quote a theme inside a cell already quoted ("""cohorte"""):
// the quotes are punctuation, not part of the theme.
export const splitCell = (cell: string) => cell.split(";")
  .map((s) => s.trim().replace(/^["'«\s]+|["'»\s]+$/g, "").trim())
  .filter(Boolean);

function guessKind(text: string): OrganisationKind | null {
  const key = fold(text);
  const known = ownValue(KINDS, key);
  if (known) return known;
  if (/\b(bureau|conseil|cabinet)\b/.test(key)) return "consultancy";
  if (/\brecherche\b/.test(key)) return "research";
  if (/\bcollectivite\b/.test(key)) return "local_authority";

  return null;
}
