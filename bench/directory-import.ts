// Times the preview and the import of a generated 10,000-row directory:
//   DATABASE_URL=postgres://… npx tsx bench/directory-import.ts [rows]
// (without DATABASE_URL it runs on an in-memory PGlite). The database it
// points at must be a scratch one: the organisations stay there.
import pino from "pino";
import { loadConfig } from "../src/config.ts";
import {
  migrateDatabase, openPglite, openPostgres,
} from "../src/db/client.ts";
import { importOrganisationsCsv } from "../src/features/directory/csv-import.ts";
import { loadTerritories } from "../src/features/territories/load.ts";

const TOWNS = [["62750", "Loos-en-Gohelle"], ["59000", "Lille"],
  ["75011", "Paris"], ["", "Lille"], ["69001", "Lyon"]];

/** One organisation a row, some with a postal code, some without. */
function directoryCsv(rows: number): Buffer {
  const lines = ["Nom;Type;Code postal;Ville;Thématiques;Territoires"];
  for (let i = 0; i < rows; i++) {
    const [postal, town] = TOWNS[i % TOWNS.length];
    lines.push(`Structure ${i};association;${postal};${town};`
      + `"climat; ""mobilité""";62`);
  }
  return Buffer.from(lines.join("\n"), "utf8");
}

const url = process.env.DATABASE_URL;
const database = url ? openPostgres(url) : await openPglite(undefined);
await migrateDatabase(database);
await loadTerritories(database.db);
const ctx = {
  actor: { kind: "person" as const, id: "bench", fullName: "Banc d'essai",
    email: "", role: "staff" as const, isFacilitator: false },
  db: database.db, log: pino({ level: "silent" }), config: loadConfig(),
  now: () => new Date(),
};
const rows = Number(process.argv[2] ?? 10000);
const csv = directoryCsv(rows);
for (const dryRun of [true, false, false]) {
  const start = performance.now();
  const report = await importOrganisationsCsv(ctx, csv, { dryRun });
  console.log(`${dryRun ? "preview" : "import"} of ${rows} rows: `
    + `${Math.round(performance.now() - start)} ms`, {
    created: report.created, changed: report.changed,
    unchanged: report.unchanged, refused: report.refused });
}
await database.close();
