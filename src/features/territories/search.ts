import { inArray, sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { territories, TERRITORY_KINDS, type TerritoryKind } from "./tables.ts";

export interface TerritorySummary {
  id: string;
  kind: TerritoryKind;
  code: string;
  name: string;
  /** "Forges (77)", "Hauts-de-France (région)": homonyms read apart. */
  label: string;
}

type LabelSource = {
  kind: TerritoryKind; code: string; name: string;
  departementCode: string | null;
};

/** The name of a territory followed by what tells it from its homonyms. */
export function territoryLabel(t: LabelSource): string {
  switch (t.kind) {
    case "commune": return `${t.name} (${t.departementCode ?? t.code})`;
    case "departement": return `${t.name} (${t.code})`;
    case "region": return `${t.name} (région)`;
    case "epci": return `${t.name} (EPCI)`;
  }
}

const summarise = (t: LabelSource & { id: string }): TerritorySummary => ({
  id: t.id, kind: t.kind, code: t.code, name: t.name, label: territoryLabel(t),
});

/** Same folding as the database's atelier_fold, for use in memory. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/œ/gi, "oe").replace(/æ/gi, "ae").toLowerCase()
    .replace(/[^a-z0-9]+/g, " ").trim();
}

export interface TerritorySearch {
  kinds?: readonly TerritoryKind[];
  limit?: number;
}

/**
 * Territories whose folded name looks like the query: exact names first,
 * then names that start with it, then close spellings; within each group
 * the most populated first (départements and régions count as large).
 */
export async function searchTerritories(
  db: Db, q: string, options: TerritorySearch = {},
): Promise<TerritorySummary[]> {
  const key = fold(q);
  if (!key) return [];
  const kinds = options.kinds?.length ? options.kinds : TERRITORY_KINDS;
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 50);
  const rows = await query<any>(db, sql`
    select id, kind, code, name, departement_code as "departementCode"
    from territories
    where kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})
      and (name_key % ${key} or name_key like ${likePrefix(key)}
        or code = ${q.trim()})
    order by name_key = ${key} or code = ${q.trim()} desc,
      name_key like ${likePrefix(key)} desc,
      case when name_key like ${likePrefix(key)} then 1
        else similarity(name_key, ${key}) end desc,
      coalesce(population, case when kind in ('departement', 'region')
        then 100000000 else 0 end) desc,
      name
    limit ${limit}`);

  return rows.map(summarise);
}

const likePrefix = (key: string) => `${key.replace(/[\\%_]/g, "\\$&")}%`;

/** Territories by id, labelled, in the order of the ids given. */
export async function findTerritoriesByIds(
  db: Db, ids: readonly string[],
): Promise<TerritorySummary[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({
    id: territories.id, kind: territories.kind, code: territories.code,
    name: territories.name, departementCode: territories.departementCode,
  }).from(territories).where(inArray(territories.id, [...ids]));
  const byId = new Map(rows.map((r) => [r.id, summarise(r)]));

  return ids.map((id) => byId.get(id)).filter((t) => t !== undefined);
}

export type Resolution =
  | { status: "found"; territory: TerritorySummary }
  | { status: "ambiguous"; candidates: TerritorySummary[] }
  | { status: "unknown" };

/**
 * The id an official code stands for: "62528" a commune, "62" or "2A" a
 * département, "R32" a région, "246200364" an EPCI; an id such as
 * "departement-62" stands for itself. Null for anything else.
 */
export function territoryIdOfCode(raw: string): string | null {
  const code = raw.trim();
  if (/^[a-z]+-[0-9AB]+$/.test(code)) return code;
  if (/^R\d{2}$/i.test(code)) return `region-${code.slice(1)}`;
  if (/^\d{9}$/.test(code)) return `epci-${code}`;
  if (/^\d[0-9AB]\d{3}$/i.test(code)) return `commune-${code.toUpperCase()}`;
  if (/^(\d{2,3}|2[AB])$/i.test(code)) {
    return `departement-${code.toUpperCase()}`;
  }

  return null;
}

/**
 * Reads what someone typed in a territory field: an official code or id
 * ("62528", "62", "R32", "commune-62528"), a label as shown ("Forges (77)")
 * or a name. A name shared by several territories, or only close to
 * several, is ambiguous: the form then offers the candidates to choose
 * from. A single candidate is taken.
 */
export async function resolveTerritory(
  db: Db, text: string, options: TerritorySearch = {},
): Promise<Resolution> {
  const input = text.trim();
  if (!input) return { status: "unknown" };
  const allowed = options.kinds?.length ? options.kinds : TERRITORY_KINDS;
  const id = territoryIdOfCode(input);
  if (id) {
    const [byId] = await findTerritoriesByIds(db, [id]);
    if (byId && allowed.includes(byId.kind)) {
      return { status: "found", territory: byId };
    }
    // Codes are not names: "12345" close to no name is simply unknown.
    if (/^[0-9]/.test(input) || /^[a-z]+-/.test(input)) {
      return { status: "unknown" };
    }
  }

  const label = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(input);
  const name = label ? label[1] : input;
  // A label names one territory among possibly many namesakes: look wider.
  const candidates = await searchTerritories(db, name,
    { kinds: allowed, limit: label ? 50 : 10 });
  const byLabel = candidates.filter((c) => fold(c.label) === fold(input));
  if (byLabel.length === 1) return { status: "found", territory: byLabel[0] };
  const exact = candidates.filter((c) => fold(c.name) === fold(name));
  if (exact.length === 1 && !label) {
    return { status: "found", territory: exact[0] };
  }
  if (exact.length > 1) return { status: "ambiguous", candidates: exact };
  if (candidates.length === 1) {
    return { status: "found", territory: candidates[0] };
  }
  if (candidates.length > 0) return { status: "ambiguous", candidates };

  return { status: "unknown" };
}
