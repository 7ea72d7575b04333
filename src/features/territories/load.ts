import { createRequire } from "node:module";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { referenceData, territories, type TerritoryKind } from "./tables.ts";

const require = createRequire(import.meta.url);
const PACKAGE = "@etalab/decoupage-administratif";

interface Row {
  id: string;
  kind: TerritoryKind;
  code: string;
  name: string;
  departementCode: string | null;
  regionCode: string | null;
  epciCode: string | null;
  population: number | null;
  ancestors: string[];
}

export const territoryId = (kind: TerritoryKind, code: string) =>
  `${kind}-${code}`;

/** Reads the official lists shipped by the npm package, with hierarchy. */
function readOfficialTerritories(): Row[] {
  const regions: any[] = require(`${PACKAGE}/data/regions.json`);
  const departements: any[] = require(`${PACKAGE}/data/departements.json`);
  const epcis: any[] = require(`${PACKAGE}/data/epci.json`);
  const communes: any[] = require(`${PACKAGE}/data/communes.json`);
  const regionOf = new Map(departements.map((d) => [d.code, d.region]));
  const epciOf = new Map<string, string>();
  for (const epci of epcis) {
    for (const member of epci.membres) epciOf.set(member.code, epci.code);
  }
  const epciDepartements = new Map<string, Set<string>>();
  const rows: Row[] = [];

  for (const commune of communes) {
    if (commune.type !== "commune-actuelle") continue;
    const epci = epciOf.get(commune.code) ?? null;
    if (epci) {
      const set = epciDepartements.get(epci) ?? new Set();
      set.add(commune.departement);
      epciDepartements.set(epci, set);
    }
    rows.push({
      id: territoryId("commune", commune.code),
      kind: "commune",
      code: commune.code,
      name: commune.nom,
      departementCode: commune.departement ?? null,
      regionCode: commune.region ?? null,
      epciCode: epci,
      population: commune.population ?? null,
      ancestors: [
        territoryId("commune", commune.code),
        ...(epci ? [territoryId("epci", epci)] : []),
        ...(commune.departement
          ? [territoryId("departement", commune.departement)] : []),
        ...(commune.region ? [territoryId("region", commune.region)] : []),
      ],
    });
  }

  for (const epci of epcis) {
    // An EPCI may straddle départements; it belongs to each of them.
    const deps = [...(epciDepartements.get(epci.code) ?? [])].sort();
    const regs = [...new Set(deps.map((d) => regionOf.get(d)))].filter(Boolean);
    rows.push({
      id: territoryId("epci", epci.code),
      kind: "epci",
      code: epci.code,
      name: epci.nom,
      departementCode: deps.length === 1 ? deps[0] : null,
      regionCode: regs.length === 1 ? regs[0] : null,
      epciCode: epci.code,
      population: epci.populationTotale ?? null,
      ancestors: [
        territoryId("epci", epci.code),
        ...deps.map((d) => territoryId("departement", d)),
        ...regs.map((r) => territoryId("region", r)),
      ],
    });
  }

  for (const dep of departements) {
    rows.push({
      id: territoryId("departement", dep.code),
      kind: "departement",
      code: dep.code,
      name: dep.nom,
      departementCode: dep.code,
      regionCode: dep.region,
      epciCode: null,
      population: null,
      ancestors: [
        territoryId("departement", dep.code),
        territoryId("region", dep.region),
      ],
    });
  }

  for (const region of regions) {
    rows.push({
      id: territoryId("region", region.code),
      kind: "region",
      code: region.code,
      name: region.nom,
      departementCode: null,
      regionCode: region.code,
      epciCode: null,
      population: null,
      ancestors: [territoryId("region", region.code)],
    });
  }

  return rows;
}

/**
 * Loads or refreshes the official territories when the package version
 * differs from the one already loaded. Idempotent; safe at every start.
 */
export async function loadTerritories(db: Db): Promise<number> {
  const version = require(`${PACKAGE}/package.json`).version as string;
  const [loaded] = await db.select().from(referenceData)
    .where(eq(referenceData.name, PACKAGE));
  if (loaded?.version === version) return 0;

  const rows = readOfficialTerritories();
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 2000) {
      await tx.insert(territories).values(rows.slice(i, i + 2000))
        .onConflictDoUpdate({
          target: territories.id,
          set: {
            name: sql`excluded.name`,
            departementCode: sql`excluded.departement_code`,
            regionCode: sql`excluded.region_code`,
            epciCode: sql`excluded.epci_code`,
            population: sql`excluded.population`,
            ancestors: sql`excluded.ancestors`,
          },
        });
    }
    await tx.insert(referenceData).values({ name: PACKAGE, version })
      .onConflictDoUpdate({ target: referenceData.name, set: { version } });
  });

  return rows.length;
}
