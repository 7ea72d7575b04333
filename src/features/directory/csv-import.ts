import { createRequire } from "node:module";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { DomainError, forbidden, invalid } from "../../domain/errors.ts";
import { fold } from "../territories/search.ts";
import { territories } from "../territories/tables.ts";
import {
  freeSlug, refreshTerritoryScope, validateOrganisation,
  type OrganisationInput, type OrganisationRow,
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
  separator: ";" | ",";
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

/**
 * Text of an uploaded file: UTF-8 when the bytes are valid UTF-8 (with or
 * without BOM), else Windows-1252, what French spreadsheets save.
 */
export function decodeCsv(bytes: Uint8Array) {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ""), encoding: "utf-8" as const };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "win1252"),
      encoding: "windows-1252" as const };
  }
}

/** ";" or ",", whichever the heading line uses more outside quotes. */
export function detectSeparator(text: string): ";" | "," {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && char === ";") semicolons++;
    else if (!quoted && char === ",") commas++;
  }

  return commas > semicolons ? "," : ";";
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

/**
 * Imports organisations from a spreadsheet saved as CSV (staff only).
 * Rows that cannot be read are refused with their line number and reason
 * while the others import. A row naming an organisation already known (same
 * name, same town or one town blank) completes it instead of creating a
 * second one, so importing the same file again changes nothing. A dry run
 * does all of this and then rolls it back, to preview the report.
 */
export async function importOrganisationsCsv(
  ctx: Ctx, bytes: Uint8Array, options: { dryRun?: boolean } = {},
): Promise<ImportReport> {
  if (!canImportDirectory(ctx.actor)) throw forbidden();
  const { text, encoding } = decodeCsv(bytes);
  const separator = detectSeparator(text);
  const records = readRecords(text, separator);
  if (records.length === 0) throw invalid("Le fichier est vide.");
  const [heading, ...rows] = records;
  const { columns, unknownHeadings } = mapHeadings(heading.cells);
  if (columns.name === undefined) {
    throw invalid("Le fichier n'a pas de colonne « Nom ».");
  }

  const report: ImportReport = {
    dryRun: Boolean(options.dryRun), encoding, separator,
    created: 0, changed: 0, unchanged: 0, refused: 0, unknownHeadings,
    lines: [],
  };
  try {
    await ctx.db.transaction(async (tx) => {
      const firstLineOf = new Map<string, number>();
      for (const row of rows) {
        if (row.cells.every((c) => c.trim() === "")) continue;
        const line = await importRow(tx, row, heading.cells.length, columns,
          firstLineOf);
        report.lines.push(line);
        report[line.outcome]++;
      }
      if (options.dryRun) throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }

  return report;
}

interface CsvRecord { line: number; cells: string[] }

function readRecords(text: string, delimiter: string): CsvRecord[] {
  const normalised = text.replace(/\r\n?/g, "\n");
  try {
    const parsed = parse(normalised, {
      delimiter, relax_column_count: true, relax_quotes: true,
      skip_empty_lines: true, info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];

    // The parser counts the line where a record ends; a quoted cell may
    // span lines, so step back over its line breaks.
    return parsed.map(({ record, info }) => ({
      line: info.lines - record.join("").split("\n").length + 1,
      cells: record,
    }));
  } catch (error: any) {
    throw invalid(`Le fichier est illisible à la ligne ${error.lines ?? "?"}`
      + " : un guillemet ouvert n'est jamais fermé.");
  }
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

async function importRow(
  tx: Db, row: CsvRecord, width: number,
  columns: Partial<Record<Column, number>>, firstLineOf: Map<string, number>,
): Promise<ImportLine> {
  const get = (column: Column) => {
    const index = columns[column];
    return index === undefined ? "" : unguard(row.cells[index] ?? "");
  };
  const name = get("name");
  const refuse = (message: string): ImportLine =>
    ({ line: row.line, name, outcome: "refused", message, warnings: [] });

  if (row.cells.slice(width).some((c) => c.trim() !== "")) {
    return refuse(`La ligne compte ${row.cells.length} colonnes au lieu de `
      + `${width} : un séparateur en trop ou un guillemet mal placé ?`);
  }
  if (!name) return refuse("Le nom de la structure manque.");

  const warnings: string[] = [];
  const input = await readInput(tx, get, warnings);
  if (typeof input === "string") return refuse(input);
  let checked: ReturnType<typeof validateOrganisation>;
  try {
    checked = validateOrganisation(input);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return refuse(Object.values(error.fields).join(" ") || error.message);
  }

  try {
    // Each row in its own savepoint: a refused row leaves no trace.
    return await tx.transaction(async (rowTx) => {
      const line = await saveRow(rowTx, row.line, checked, firstLineOf);
      line.warnings.unshift(...warnings);
      return line;
    });
  } catch (error: any) {
    if (error?.code === "23505" || error?.cause?.code === "23505") {
      return refuse("Une autre structure de ce nom existe déjà dans cette "
        + "ville.");
    }
    throw error;
  }
}

async function readInput(
  tx: Db, get: (c: Column) => string, warnings: string[],
): Promise<OrganisationInput | string> {
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
  for (const code of get("territories").split(/[;,\s]+/).filter(Boolean)) {
    const id = await findTerritoryByCode(tx, code);
    if (id) territoryIds.push(id);
    else warnings.push(`Territoire « ${code} » inconnu : ignoré.`);
  }
  const communeId = await findCommune(tx, {
    code: get("communeCode"), postalCode: get("postalCode"),
    city: get("city"), departement: get("departement"),
  });
  if (!communeId && get("city")) {
    warnings.push(`Commune « ${get("city")} » non reconnue.`);
  }

  return {
    name: get("name"), kind, description: get("description"),
    themes: splitCell(get("themes")), skills: splitCell(get("skills")),
    website: get("website"), address: get("address"),
    postalCode: get("postalCode"), city: get("city"), communeId,
    territoryIds, charterSignatory: signatory, charterSignedOn: signedOn,
    email: get("email"), phone: get("phone"), staffNotes: get("staffNotes"),
  };
}

const splitCell = (cell: string) =>
  cell.split(";").map((s) => s.trim()).filter(Boolean);

function guessKind(text: string): OrganisationKind | null {
  const key = fold(text);
  if (KINDS[key]) return KINDS[key];
  if (/\b(bureau|conseil|cabinet)\b/.test(key)) return "consultancy";
  if (/\brecherche\b/.test(key)) return "research";
  if (/\bcollectivite\b/.test(key)) return "local_authority";

  return null;
}

/** "62528" a commune, "246200364" an EPCI, "62" a département, "R32". */
async function findTerritoryByCode(tx: Db, raw: string) {
  const code = raw.trim();
  let id: string;
  if (/^[a-z]+-[0-9AB]+$/.test(code)) id = code;
  else if (/^R\d{2}$/i.test(code)) id = `region-${code.slice(1)}`;
  else if (/^\d{9}$/.test(code)) id = `epci-${code}`;
  else if (/^(\d[0-9AB]\d{3})$/.test(code)) id = `commune-${code}`;
  else if (/^(\d{2,3}|2[AB])$/.test(code)) id = `departement-${code}`;
  else return null;
  const [found] = await tx.select({ id: territories.id }).from(territories)
    .where(eq(territories.id, id));

  return found?.id ?? null;
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

/** The commune of an address: by INSEE code, postal code + town, or town. */
async function findCommune(tx: Db, place: {
  code: string; postalCode: string; city: string; departement: string;
}): Promise<string | null> {
  if (place.code) return findTerritoryByCode(tx, place.code);
  const town = fold(place.city);
  if (place.postalCode) {
    const candidates = communesByPostalCode().get(place.postalCode) ?? [];
    const matching = town
      ? candidates.filter((c) => c.key === town) : candidates;
    if (matching.length === 1) return `commune-${matching[0].code}`;
  }
  if (!town) return null;
  const departement = place.departement.trim().padStart(2, "0")
    || place.postalCode.slice(0, 2);
  const rows = await tx.select({ id: territories.id }).from(territories)
    .where(sql`${territories.kind} = 'commune'
      and ${territories.nameKey} = ${town}
      ${departement ? sql`and ${territories.departementCode}
        like ${`${departement}%`}` : sql``}`);

  return rows.length === 1 ? rows[0].id : null;
}

async function saveRow(
  tx: Db, line: number, checked: ReturnType<typeof validateOrganisation>,
  firstLineOf: Map<string, number>,
): Promise<ImportLine> {
  const { values, territoryIds } = checked;
  const result = (outcome: ImportLine["outcome"], message: string) =>
    ({ line, name: values.name, outcome, message, warnings: [] as string[] });
  const namesakes = await tx.select().from(organisations)
    .where(sql`${organisations.nameKey} = atelier_fold(${values.name})`);
  const town = fold(values.city ?? "");
  const target = namesakes.find((o) => o.townKey === town)
    ?? namesakes.find((o) => o.townKey === "" || town === "");

  if (!target) {
    const [org] = await tx.insert(organisations).values({
      ...values, slug: await freeSlug(tx, values.name),
    }).returning();
    await addTerritories(tx, org.id, territoryIds);
    firstLineOf.set(org.id, line);
    const other = namesakes[0];

    return result("created", other
      ? `créée ; doublon possible de « ${other.name} » (${other.city})`
      : "créée");
  }

  const patch = mergePatch(target, values);
  const added = await addTerritories(tx, target.id, territoryIds);
  if (Object.keys(patch).length > 0) {
    await tx.update(organisations).set({
      ...patch, version: sql`${organisations.version} + 1`,
      updatedAt: new Date(),
    }).where(eq(organisations.id, target.id));
    if (patch.communeId) await refreshTerritoryScope(tx, target.id);
  }
  const earlier = firstLineOf.get(target.id);
  if (earlier === undefined) firstLineOf.set(target.id, line);
  const changed = Object.keys(patch).length > 0 || added > 0;
  const message = earlier !== undefined ? `fusionnée avec ligne ${earlier}`
    : changed ? "complétée (déjà présente)" : "déjà présente";

  return result(changed ? "changed" : "unchanged", message);
}

/** Fills what the organisation leaves blank; unites themes and skills. */
function mergePatch(
  target: OrganisationRow, values: ReturnType<
    typeof validateOrganisation>["values"],
) {
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

/** Adds territories an organisation works in; returns how many were new. */
async function addTerritories(tx: Db, id: string, territoryIds: string[]) {
  const added = territoryIds.length === 0 ? [] : await tx
    .insert(organisationTerritories)
    .values(territoryIds.map((territoryId) =>
      ({ organisationId: id, territoryId })))
    .onConflictDoNothing().returning();
  await refreshTerritoryScope(tx, id);

  return added.length;
}
