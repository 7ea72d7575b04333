// Times directory searches over 5,000 generated organisations:
//   DATABASE_URL=postgres://… npx tsx bench/directory-search.ts
// (without DATABASE_URL it runs on an in-memory PGlite). The database it
// points at must be a scratch one: the organisations stay there.
import pino from "pino";
import { sql } from "drizzle-orm";
import { loadConfig } from "../src/config.ts";
import {
  migrateDatabase, openPglite, openPostgres,
} from "../src/db/client.ts";
import { VISITOR } from "../src/domain/context.ts";
import { findOrganisations } from "../src/features/directory/search.ts";
import { loadTerritories } from "../src/features/territories/load.ts";

const url = process.env.DATABASE_URL;
const database = url ? openPostgres(url) : await openPglite(undefined);
await migrateDatabase(database);
await loadTerritories(database.db);
const db = database.db;

await db.execute(sql`insert into organisations (name, slug, city, themes,
    skills, kind, territory_scope)
  select 'Structure ' || t.name || ' ' || t.n, 'bench-' || t.n, t.name,
    (array['énergie', 'mobilité', 'alimentation'])[1 + t.n % 3:1 + t.n % 3],
    array['animation'], 'association', t.ancestors
  from (select name, ancestors, row_number() over (order by id) n
    from territories where kind = 'commune') t
  where t.n % 7 = 0 and t.n <= 35000
  on conflict do nothing`);
await db.execute(sql`analyze organisations`);

const ctx = { actor: VISITOR, db, log: pino({ level: "silent" }),
  config: loadConfig({}), now: () => new Date() };
const cases = [
  { q: "energie" }, { q: "loos en gohelle" }, { q: "strucure abbevile" },
  { territory: "departement-62" }, { q: "mobilite", territory: "region-32" },
  { theme: "alimentation", page: 3 },
];
for (const filters of cases) {
  await findOrganisations(ctx, filters);
  const start = process.hrtime.bigint();
  const runs = 20;
  let total = 0;
  for (let i = 0; i < runs; i++) {
    total = (await findOrganisations(ctx, filters)).total;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  console.log(`${JSON.stringify(filters)} → ${total} results, ${
    ms.toFixed(1)} ms`);
}
await database.close();
