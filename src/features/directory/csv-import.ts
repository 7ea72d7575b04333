import { createRequire } from "node:module";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { ownValue } from "../../domain/records.ts";
import {
  DomainError, forbidden, FOREIGN_KEY_VIOLATION, invalid, isPgError,
  UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { fold, territoryIdOfCode } from "../territories/search.ts";
import { territories } from "../territories/tables.ts";
import {
  slugify, validateOrganisation, type OrganisationInput,
  type OrganisationRow,
} from "./organisations.ts";
import { canImportDirectory } from "./policy.ts";
import {
  organisations, organisationTerritories, type OrganisationKind,
} from "./tables.ts";

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

type Column = keyof typeof HEADINGS;

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

/** Above these, an import is split in several files: one import is one
 * transaction, and the embedded database serves nobody else meanwhile. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

/**
 * Text of an uploaded file: UTF-8 when the bytes are valid UTF-8 (with or
 * without BOM), else Windows-1252, what French spreadsheets save. UTF-16
 * and files that are no text at all are refused with what to do instead.
 */
export function decodeCsv(bytes: Uint8Array) {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe)
    || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw utf16();
  const sample = bytes.subarray(0, 4096);
  let nuls = 0;
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) nuls++;
    else if (byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 13) {
      controls++;
    }
  }
  // UTF-16 text has a NUL beside nearly every Latin letter.
  if (nuls > sample.length / 4) throw utf16();
  if (nuls > 0 || controls > sample.length / 100) {
    throw invalid("Ce fichier n'est pas un tableur CSV lisible.");
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ""), encoding: "utf-8" as const };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "win1252"),
      encoding: "windows-1252" as const };
  }
}

const utf16 = () => invalid("Le fichier est en UTF-16 : enregistrez-le en "
  + "CSV UTF-8 ou Windows-1252.");

export type Separator = ";" | "," | "\t";

/** ";", "," or a tab, whichever the heading line uses most outside quotes. */
export function detectSeparator(text: string): Separator {
  const counts: Record<string, number> = { ";": 0, ",": 0, "\t": 0, "|": 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && char in counts) counts[char]++;
  }
  const best = (Object.keys(counts) as (Separator | "|")[])
    .reduce((a, b) => counts[b] > counts[a] ? b : a, ";");
  if (best === "|") {
    throw invalid("Le séparateur « | » n'est pas pris en charge : "
      + "enregistrez le fichier avec des points-virgules, des virgules ou "
      + "des tabulations.");
  }

  return best;
}

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

// Export prefixes formula-like cells with a quote; take it off again.
const unguard = (cell: string) => cell.replace(/^'(?=[=+\-@])/, "").trim();

class Rollback extends Error {}

/** Rows written per statement: few round trips, statements of sane size. */
const BATCH = 500;

type Checked = ReturnType<typeof validateOrganisation>;
type Values = Checked["values"];

/** An organisation the import creates or completes, as it will be saved. */
interface Planned {
  /** Null until created. */
  id: string | null;
  row: OrganisationRow | null;
  values: Values;
  slug: string;
  nameKey: string;
  townKey: string;
  territoryIds: Set<string>;
  /** Territories recorded before the import (existing organisations). */
  savedTerritories: Set<string>;
  patch: Partial<typeof organisations.$inferInsert>;
  firstLine: number | undefined;
  lines: ImportLine[];
}

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

interface CsvRecord { line: number; cells: string[] }

/**
 * Cells of each record, with the line where it starts. Quotes work as in
 * spreadsheets; a quote inside an unquoted cell is kept as is. A quote
 * opened and never closed would swallow the rest of the file: its line is
 * reported and reading resumes on the next line.
 */
export function readRecords(text: string, delimiter: string) {
  const input = text.replace(/\r\n?/g, "\n");
  const records: CsvRecord[] = [];
  const unclosed: number[] = [];
  let i = 0;
  let line = 1;
  while (i < input.length) {
    const start = line;
    const cells: string[] = [];
    let broken = false;
    for (;;) {
      let cell = "";
      if (input[i] === '"') {
        const quoteLine = line;
        const quoteAt = i;
        let j = i + 1;
        for (;;) {
          if (j >= input.length) { broken = true; break; }
          const char = input[j];
          if (char === '"') {
            if (input[j + 1] === '"') { cell += '"'; j += 2; continue; }
            j++;
            break;
          }
          if (char === "\n") line++;
          cell += char;
          j++;
        }
        if (broken) {
          unclosed.push(quoteLine);
          const end = input.indexOf("\n", quoteAt);
          i = end === -1 ? input.length : end + 1;
          line = quoteLine + 1;
          break;
        }
        // Text after the closing quote belongs to the cell, as Excel reads.
        while (j < input.length && input[j] !== delimiter
          && input[j] !== "\n") cell += input[j++];
        i = j;
      } else {
        let j = i;
        while (j < input.length && input[j] !== delimiter
          && input[j] !== "\n") j++;
        cell = input.slice(i, j);
        i = j;
      }
      cells.push(cell);
      if (input[i] === delimiter) { i++; continue; }
      if (input[i] === "\n") { i++; line++; }
      break;
    }
    if (broken) continue;
    if (cells.length === 1 && cells[0] === "") continue;
    records.push({ line: start, cells });
  }

  return { records, unclosed };
}

function mapHeadings(cells: string[]) {
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

type Columns = Partial<Record<Column, number>>;

const cellOf = (row: CsvRecord, columns: Columns, column: Column) => {
  const index = columns[column];
  return index === undefined ? "" : unguard(row.cells[index] ?? "");
};

interface Places {
  /** Territory ids that exist, among those the file names by code. */
  known: Set<string>;
  /** Folded commune name → communes of that name. */
  communesByName: Map<string, { id: string; departementCode: string }[]>;
}

/** Every territory and commune the rows name, in two queries. */
async function lookUpPlaces(
  tx: Db, rows: CsvRecord[], columns: Columns,
): Promise<Places> {
  const ids = new Set<string>();
  const towns = new Set<string>();
  for (const row of rows) {
    const get = (c: Column) => cellOf(row, columns, c);
    for (const code of splitCodes(get("territories"))) {
      const id = territoryIdOfCode(code);
      if (id) ids.add(id);
    }
    const commune = territoryIdOfCode(get("communeCode"));
    if (commune) ids.add(commune);
    else if (get("city")) towns.add(fold(get("city")));
  }
  const known = new Set<string>();
  for (const chunk of chunks([...ids], 5000)) {
    const found = await tx.select({ id: territories.id }).from(territories)
      .where(inArray(territories.id, chunk));
    for (const t of found) known.add(t.id);
  }
  const communesByName = new Map<string,
    { id: string; departementCode: string }[]>();
  for (const chunk of chunks([...towns].filter(Boolean), 5000)) {
    const found = await tx.select({ id: territories.id,
      nameKey: territories.nameKey,
      departementCode: territories.departementCode }).from(territories)
      .where(and(eq(territories.kind, "commune"),
        inArray(territories.nameKey, chunk)));
    for (const c of found) {
      const list = communesByName.get(c.nameKey) ?? [];
      list.push({ id: c.id, departementCode: c.departementCode ?? "" });
      communesByName.set(c.nameKey, list);
    }
  }

  return { known, communesByName };
}

const splitCodes = (cell: string) => cell.split(/[;,\s]+/).filter(Boolean);

function* chunks<T>(items: T[], size: number) {
  for (let i = 0; i < items.length; i += size) {
    yield items.slice(i, i + size);
  }
}

type ReadRow = ImportLine | { line: number; checked: Checked;
  warnings: string[] };

/** A row as the organisation it describes, or refused with the reason. */
function readRow(
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

let postalIndex: Map<string, { code: string; key: string }[]> | undefined;

/** Postal code → communes, from the official list (loaded on first use). */
function communesByPostalCode() {
  if (postalIndex) return postalIndex;
  const require = createRequire(import.meta.url);
  const communes: any[] =
    require("@etalab/decoupage-administratif/data/communes.json");
  postalIndex = new Map();
  for (const c of communes) {
    if (c.type !== "commune-actuelle") continue;
    for (const postal of c.codesPostaux ?? []) {
      const list = postalIndex.get(postal) ?? [];
      list.push({ code: c.code, key: fold(c.nom) });
      postalIndex.set(postal, list);
    }
  }

  return postalIndex;
}

/**
 * The commune of an address: by INSEE code, postal code + town, or town
 * alone when one commune has that name (in the département, if given).
 */
function findCommune(places: Places, place: {
  code: string; postalCode: string; city: string; departement: string;
}): { id: string | null; namesakes: number } {
  if (place.code) {
    const id = territoryIdOfCode(place.code);
    return { id: id && places.known.has(id) ? id : null, namesakes: 0 };
  }
  const town = fold(place.city);
  const postalCode = place.postalCode.trim();
  if (postalCode) {
    const candidates = communesByPostalCode().get(postalCode) ?? [];
    const matching = town
      ? candidates.filter((c) => c.key === town) : candidates;
    if (matching.length === 1) {
      return { id: `commune-${matching[0].code}`, namesakes: 0 };
    }
  }
  if (!town) return { id: null, namesakes: 0 };
  const departementText = place.departement.trim();
  const departement = departementText
    ? departementText.padStart(2, "0").toUpperCase()
    : postalCode.slice(0, 2);
  const namesakes = (places.communesByName.get(town) ?? []).filter((c) =>
    !departement || c.departementCode.startsWith(departement));

  return { id: namesakes.length === 1 ? namesakes[0].id : null,
    namesakes: namesakes.length };
}

/**
 * Decides, row after row, what each organisation becomes: namesakes are
 * looked up once for the whole file, then each row creates one or
 * completes one known already or created by an earlier row.
 */
async function planChanges(
  tx: Db, read: ReadRow[], lines: ImportLine[],
): Promise<Planned[]> {
  const valid = read.filter((r): r is Exclude<ReadRow, ImportLine> =>
    !("outcome" in r));
  for (const r of read) if ("outcome" in r) lines.push(r);
  const nameKeys = [...new Set(valid.map((r) =>
    fold(r.checked.values.name)))];
  const byName = new Map<string, Planned[]>();
  const existing: Planned[] = [];
  for (const chunk of chunks(nameKeys, 5000)) {
    const found = await tx.select().from(organisations)
      .where(inArray(organisations.nameKey, chunk));
    for (const org of found) {
      const plan: Planned = { id: org.id, row: org, values: { ...org } as Values,
        slug: org.slug, nameKey: org.nameKey, townKey: org.townKey,
        territoryIds: new Set(), savedTerritories: new Set(), patch: {},
        firstLine: undefined, lines: [] };
      existing.push(plan);
      byName.set(org.nameKey, [...byName.get(org.nameKey) ?? [], plan]);
    }
  }
  for (const chunk of chunks(existing.map((p) => p.id!), 5000)) {
    const links = await tx.select().from(organisationTerritories)
      .where(inArray(organisationTerritories.organisationId, chunk));
    const plans = new Map(existing.map((p) => [p.id!, p]));
    for (const link of links) {
      plans.get(link.organisationId)!.savedTerritories.add(link.territoryId);
    }
  }
  const slugs = new Set((await tx.select({ slug: organisations.slug })
    .from(organisations)).map((r) => r.slug));

  const touched: Planned[] = [];
  for (const { line, checked, warnings } of valid) {
    const { values, territoryIds } = checked;
    const nameKey = fold(values.name);
    const town = fold(values.city ?? "");
    const namesakes = byName.get(nameKey) ?? [];
    const target = namesakes.find((o) => o.townKey === town)
      ?? namesakes.find((o) => o.townKey === "" || town === "");
    const result = (outcome: ImportLine["outcome"], message: string) =>
      ({ line, name: values.name, outcome, message, warnings });

    if (!target) {
      const plan: Planned = { id: null, row: null, values,
        slug: freeSlugAmong(slugs, values.name), nameKey, townKey: town,
        territoryIds: new Set(territoryIds), savedTerritories: new Set(),
        patch: {}, firstLine: line, lines: [] };
      const other = namesakes[0];
      plan.lines.push(result("created", other
        ? `créée ; doublon possible de « ${other.values.name} » `
          + `(${other.values.city})`
        : "créée"));
      byName.set(nameKey, [...namesakes, plan]);
      touched.push(plan);
      continue;
    }

    const patch = mergePatch(target.values, values);
    Object.assign(target.values, patch);
    if (target.row) Object.assign(target.patch, patch);
    if (patch.city !== undefined) target.townKey = fold(patch.city ?? "");
    const known = new Set([...target.savedTerritories,
      ...target.territoryIds]);
    const added = territoryIds.filter((id) => !known.has(id));
    for (const id of added) target.territoryIds.add(id);
    const earlier = target.firstLine;
    if (earlier === undefined) {
      target.firstLine = line;
      touched.push(target);
    }
    const changed = Object.keys(patch).length > 0 || added.length > 0;
    target.lines.push(result(changed ? "changed" : "unchanged",
      earlier !== undefined ? `fusionnée avec ligne ${earlier}`
        : changed ? "complétée (déjà présente)" : "déjà présente"));
  }
  for (const plan of touched) lines.push(...plan.lines);

  return touched;
}

/** Like freeSlug, against the slugs known and those given out already. */
function freeSlugAmong(taken: Set<string>, name: string) {
  let base = slugify(name);
  if (["nouvelle", "export"].includes(base)) base = `${base}-structure`;
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);

  return slug;
}

/** Fills what the organisation leaves blank; unites themes and skills. */
function mergePatch(target: Values, values: Values) {
  const patch: Partial<typeof organisations.$inferInsert> = {};
  const fillable = ["kind", "description", "website", "address", "postalCode",
    "city", "communeId", "charterSignedOn", "email", "phone",
    "staffNotes"] as const;
  for (const key of fillable) {
    if (!target[key] && values[key]) (patch as any)[key] = values[key];
  }
  if (values.charterSignatory && !target.charterSignatory) {
    patch.charterSignatory = true;
  }
  for (const key of ["themes", "skills"] as const) {
    const union = [...new Set([...target[key], ...values[key]])];
    if (union.length > target[key].length) patch[key] = union;
  }

  return patch;
}

/** Territory id → its ancestors, for every territory the plans name. */
async function ancestorsOf(tx: Db, plans: Planned[]) {
  const ids = new Set<string>();
  for (const p of plans) {
    if (p.values.communeId) ids.add(p.values.communeId);
    for (const id of [...p.territoryIds, ...p.savedTerritories]) ids.add(id);
  }
  const ancestors = new Map<string, string[]>();
  for (const chunk of chunks([...ids], 5000)) {
    const found = await tx.select({ id: territories.id,
      ancestors: territories.ancestors }).from(territories)
      .where(inArray(territories.id, chunk));
    for (const t of found) ancestors.set(t.id, t.ancestors);
  }

  return ancestors;
}

/**
 * The territory scope as refreshTerritoryScope computes it, in memory:
 * one statement per organisation to compute it took most of an import.
 */
function scopeOf(plan: Planned, ancestors: Map<string, string[]>) {
  const scope = new Set<string>();
  for (const id of [plan.values.communeId, ...plan.territoryIds,
    ...plan.savedTerritories]) {
    for (const a of id ? ancestors.get(id) ?? [] : []) scope.add(a);
  }

  return [...scope].sort();
}

/**
 * Writes the plans a batch at a time, each batch in a savepoint. A batch
 * the database refuses is written again row by row, to refuse only the
 * rows at fault with their line.
 */
async function writePlans(
  tx: Db, plans: Planned[], ancestors: Map<string, string[]>,
) {
  for (const batch of chunks(plans, BATCH)) {
    try {
      await tx.transaction((batchTx) => writeBatch(batchTx, batch, ancestors));
    } catch (error) {
      if (!isRowError(error)) throw error;
      for (const plan of batch) {
        try {
          await tx.transaction((rowTx) => writeBatch(rowTx, [plan], ancestors));
        } catch (rowError) {
          if (!isRowError(rowError)) throw rowError;
          for (const line of plan.lines) {
            Object.assign(line, { outcome: "refused", warnings: [],
              message: isPgError(rowError, UNIQUE_VIOLATION)
                ? "Une autre structure de ce nom existe déjà dans cette "
                  + "ville."
                : "Un territoire indiqué est inconnu." });
          }
        }
      }
    }
  }
}

const isRowError = (error: unknown) => isPgError(error, UNIQUE_VIOLATION)
  || isPgError(error, FOREIGN_KEY_VIOLATION);

async function writeBatch(
  tx: Db, batch: Planned[], ancestors: Map<string, string[]>,
) {
  const fresh = batch.filter((p) => !p.row);
  if (fresh.length > 0) {
    const created = await tx.insert(organisations).values(fresh.map((p) =>
      ({ ...p.values, slug: p.slug, territoryScope: scopeOf(p, ancestors) })))
      .returning({ id: organisations.id });
    // Rows come back in the order of the values inserted.
    created.forEach(({ id }, i) => { fresh[i].id = id; });
  }
  const now = new Date();
  for (const plan of batch) {
    if (!plan.row) continue;
    const scope = scopeOf(plan, ancestors);
    const scopeChanged = scope.join() !== [...plan.row.territoryScope]
      .sort().join();
    if (Object.keys(plan.patch).length > 0) {
      await tx.update(organisations).set({ ...plan.patch,
        territoryScope: scope, version: sql`${organisations.version} + 1`,
        updatedAt: now }).where(eq(organisations.id, plan.id!));
    } else if (scopeChanged) {
      await tx.update(organisations).set({ territoryScope: scope })
        .where(eq(organisations.id, plan.id!));
    }
  }
  const links = batch.flatMap((p) => [...p.territoryIds].map(
    (territoryId) => ({ organisationId: p.id!, territoryId })));
  for (const chunk of chunks(links, 2000)) {
    await tx.insert(organisationTerritories).values(chunk)
      .onConflictDoNothing();
  }
}
