import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { idList } from "./sql.ts";

// A small resolver of the territories typed in the initiative forms. The
// directory's territory search may replace it; the rules stay: an id is
// taken as it is, a name is looked up folded, several matches ask a choice.

export interface TerritoryRef {
  id: string;
  kind: string;
  code: string;
  name: string;
  departementCode: string | null;
}

const ID = /^(commune|epci|departement|region)-[0-9A-Za-z]+$/;
// "Loos-en-Gohelle (commune-62528)", as the edit form shows a territory.
const TRAILING_ID = /\(((?:commune|epci|departement|region)-[0-9A-Za-z]+)\)\s*$/;

const KIND_LABELS: Record<string, string> = {
  commune: "commune", epci: "intercommunalité", departement: "département",
  region: "région",
};

/** "Forges (77)" for a commune, "Pas-de-Calais (département)" otherwise. */
export function territoryLabel(t: TerritoryRef): string {
  if (t.kind === "commune") return `${t.name} (${t.departementCode ?? t.code})`;

  return `${t.name} (${KIND_LABELS[t.kind] ?? t.kind})`;
}

/** How a territory is written back in a form, so it reads and re-parses. */
export const territoryEntry = (t: TerritoryRef) => `${t.name} (${t.id})`;

/** One territory per line or separated by semicolons. */
export const splitTerritoryEntries = (text: string) =>
  text.split(/[\n;]/).map((s) => s.trim()).filter(Boolean);

export interface TerritoryResolution {
  ids: string[];
  /** Entries that matched nothing. */
  unknown: string[];
  /** Entries that matched several territories, with the candidates. */
  ambiguous: { entry: string; candidates: TerritoryRef[] }[];
}

const columns = sql`id, kind, code, name,
  departement_code as "departementCode"`;

export async function findTerritoriesByIds(
  db: Db, ids: string[],
): Promise<TerritoryRef[]> {
  if (ids.length === 0) return [];

  return query<TerritoryRef>(db, sql`select ${columns} from territories
    where id = any(${idList(ids)}::text[]) order by name`);
}

/**
 * Reads what the user typed. `picks` are the ids chosen among the
 * candidates of an ambiguous name, in a previous attempt.
 */
export async function resolveTerritories(
  db: Db, entries: string[], picks: string[] = [],
): Promise<TerritoryResolution> {
  const result: TerritoryResolution = { ids: [], unknown: [], ambiguous: [] };
  const byId = entries.map((e) => TRAILING_ID.exec(e)?.[1]
    ?? (ID.test(e) ? e : null));
  const known = new Set((await findTerritoriesByIds(db,
    [...byId.filter((x): x is string => !!x), ...picks])).map((t) => t.id));

  for (const [i, entry] of entries.entries()) {
    const id = byId[i];
    if (id) {
      if (known.has(id)) result.ids.push(id);
      else result.unknown.push(entry);
      continue;
    }
    // Communes first, then the largest: "Paris" is the city before
    // anything else named alike.
    const candidates = await query<TerritoryRef>(db, sql`select ${columns}
      from territories where name_key = atelier_fold(${entry})
      order by kind = 'commune' desc, population desc nulls last limit 12`);
    const picked = candidates.find((c) => picks.includes(c.id));
    if (picked) result.ids.push(picked.id);
    else if (candidates.length === 1) result.ids.push(candidates[0].id);
    else if (candidates.length === 0) result.unknown.push(entry);
    else result.ambiguous.push({ entry, candidates });
  }
  result.ids = [...new Set(result.ids)];

  return result;
}
