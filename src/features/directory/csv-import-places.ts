import { createRequire } from "node:module";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { fold, territoryIdOfCode } from "../territories/search.ts";
import { territories } from "../territories/tables.ts";
import { chunks } from "./chunks.ts";
import { cellOf, type Column, type Columns } from "./csv-import-columns.ts";
import type { CsvRecord } from "./csv-reading.ts";

export interface Places {
  /** Territory ids that exist, among those the file names by code. */
  known: Set<string>;
  /** Folded commune name → communes of that name. */
  communesByName: Map<string, { id: string; departementCode: string }[]>;
}

/** Every territory and commune the rows name, in two queries. */
export async function lookUpPlaces(
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

export const splitCodes = (cell: string) => cell.split(/[;,\s]+/).filter(Boolean);

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
export function findCommune(places: Places, place: {
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
