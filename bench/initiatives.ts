/**
 * Pooling suggestions at size: 10,000 published initiatives with offers and
 * needs, and 10,000 organisations, on PostgreSQL. Measures the suggestions
 * of one initiative through the real server (autocannon) and directly.
 */
import { spawn } from "node:child_process";
import autocannon from "autocannon";
import pg from "pg";
import pino from "pino";
import { sql } from "drizzle-orm";
import { loadConfig } from "../src/config.ts";
import {
  migrateDatabase, openPostgres, query, type Db,
} from "../src/db/client.ts";
import { VISITOR } from "../src/domain/context.ts";
import { refreshInitiativeSearch } from "../src/features/initiatives/search.ts";
import {
  refreshPoolingMatches,
} from "../src/features/initiatives/pooling-matches.ts";
import {
  findPoolingSuggestions,
} from "../src/features/initiatives/pooling-suggestions.ts";
import { loadTerritories } from "../src/features/territories/load.ts";

export interface InitiativeSizes { organisations: number; initiatives: number }

export const INITIATIVE_SIZES: InitiativeSizes = {
  organisations: 10000, initiatives: 10000,
};

const SUBJECTS = [
  "facilitation de réunions", "animation de démarches participatives",
  "comptabilité publique", "rénovation énergétique des bâtiments",
  "mobilité rurale", "gestion de l'eau", "alimentation locale",
  "biodiversité urbaine", "économie circulaire",
  "commande publique responsable", "évaluation des politiques publiques",
  "prospective territoriale", "coopération intercommunale",
  "récits de transition", "tiers-lieux", "sobriété foncière",
  "habitat partagé", "énergies renouvelables citoyennes",
  "santé environnementale", "mobilisation des habitants",
];
const AUDIENCES = [
  "pour les élus", "pour les agents", "en milieu rural",
  "en quartier prioritaire", "à l'échelle intercommunale",
  "avec les habitants", "pour les associations", "en petite ville",
];
const KINDS: [string, string][] = [
  ["training", "formation à la"], ["method", "méthode de"],
  ["tool", "outil de suivi pour la"], ["study", "étude sur la"],
  ["staff_time", "temps de chargé de mission en"],
  ["place", "salle pour ateliers de"], ["funding", "cofinancement pour la"],
  ["other", "retour d'expérience sur la"],
];

/**
 * Fills a migrated database (territories loaded) with organisations and
 * published initiatives, each with two offers and two needs, in a few
 * set-based statements.
 */
export async function generateInitiativesBench(
  db: Db, sizes = INITIATIVE_SIZES,
) {
  const themes = sql`array['transition énergétique', 'mobilité',
    'alimentation', 'économie circulaire', 'participation des habitants',
    'biodiversité', 'habitat', 'coopération', 'eau', 'santé']`;
  const subjects = sql`array[${sql.join(SUBJECTS.map((s) => sql`${s}`),
    sql`, `)}]::text[]`;
  const audiences = sql`array[${sql.join(AUDIENCES.map((s) => sql`${s}`),
    sql`, `)}]::text[]`;
  const kinds = sql`array[${sql.join(KINDS.map(([k]) => sql`${k}`),
    sql`, `)}]::text[]`;
  const prefixes = sql`array[${sql.join(KINDS.map(([, p]) => sql`${p}`),
    sql`, `)}]::text[]`;

  await db.execute(sql`
    create temporary table bench_places as
    select id, name, ancestors, row_number() over (order by id) as n
    from territories where kind = 'commune' and population > 2000`);
  await db.execute(sql`
    insert into organisations (slug, name, kind, description, themes, skills,
      city, commune_id, territory_scope, charter_signatory)
    select 'pool-org-' || g, 'Structure ' || g || ' ' || c.name,
      (array['local_authority', 'association', 'company', 'research',
        'consultancy', 'public_body', 'collective'])[1 + g % 7],
      'Structure engagée dans la transition de son territoire.',
      array[(${themes})[1 + g % 10], (${themes})[1 + (g * 3) % 10]],
      array[(${subjects})[1 + g % 20], (${subjects})[1 + (g * 7) % 20]],
      c.name, c.id, c.ancestors, true
    from generate_series(1, ${sizes.organisations}) g
    join bench_places c on c.n = 1 + (g * 31) % (select count(*)
      from bench_places)`);
  await db.execute(sql`
    insert into initiatives (slug, title, summary, description, themes,
      stage, status, territory_scope, published_at)
    select 'pool-' || g,
      'Initiative ' || g || ' : ' || (${subjects})[1 + g % 20] || ' à '
        || c.name,
      'Une démarche de ' || (${subjects})[1 + g % 20] || ' '
        || (${audiences})[1 + g % 8] || '.',
      'Nous menons une démarche de **' || (${subjects})[1 + g % 20]
        || '** avec les acteurs du territoire.',
      array[(${themes})[1 + g % 10], (${themes})[1 + (g * 3) % 10],
        (${themes})[1 + (g * 7) % 10]],
      (array['idea', 'starting', 'running', 'finished'])[1 + g % 4],
      'published', c.ancestors, now() - g * interval '1 hour'
    from generate_series(1, ${sizes.initiatives}) g
    join bench_places c on c.n = 1 + (g * 17) % (select count(*)
      from bench_places)`);
  await db.execute(sql`
    insert into initiative_carriers (initiative_id, organisation_id)
    select i.id, o.id
    from (select id, row_number() over (order by slug) n from initiatives) i
    join (select id, row_number() over (order by slug) n from organisations) o
      on o.n = 1 + i.n % ${sizes.organisations}`);
  await db.execute(sql`
    insert into initiative_territories (initiative_id, territory_id)
    select id, territory_scope[1] from initiatives
    where cardinality(territory_scope) > 0`);
  // Two offers and two needs each, of varied kinds, subjects and audiences.
  await db.execute(sql`
    insert into initiative_pooling_items (initiative_id, direction, kind,
      text, position)
    select i.id, d.direction, (${kinds})[1 + k],
      (${prefixes})[1 + k] || ' ' || (${subjects})[1 + s] || ' '
        || (${audiences})[1 + a], d.position
    from (select id, row_number() over (order by slug) n from initiatives) i
    cross join (values ('offer', 0, 3), ('offer', 1, 5), ('need', 0, 7),
      ('need', 1, 11)) d(direction, position, m)
    cross join lateral (select (i.n * d.m) % 8 as k,
      (i.n * d.m + d.position) % 20 as s, (i.n + d.m) % 8 as a) x`);
  // Offers meeting needs, as the use cases keep them on every write.
  await db.execute(sql`analyze initiative_pooling_items`);
  const ids = (await query<{ id: string }>(db,
    sql`select id from initiatives`)).map((r) => r.id);
  await refreshPoolingMatches(db, ids);
  await refreshInitiativeSearch(db, ids);
  // As autovacuum leaves a live database: the GIN indexes' pending lists
  // merged (otherwise read in full by every lookup), statistics fresh.
  await db.execute(sql`vacuum analyze`);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** Times the use case in process, over the PostgreSQL pool. */
async function measureDirect(db: Db, ids: string[], calls: number) {
  const ctx = { actor: VISITOR, db, log: pino({ level: "silent" }),
    config: loadConfig({}), now: () => new Date() };
  const times: number[] = [];
  let count = 0;
  for (let n = 0; n < calls; n += 1) {
    const started = performance.now();
    const list = await findPoolingSuggestions(ctx, ids[n % ids.length],
      { publicOnly: true });
    times.push(performance.now() - started);
    count += list.length;
  }
  times.sort((a, b) => a - b);

  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99),
    suggestions: count / calls };
}

async function waitFor(url: string, timeoutMs = 60_000) {
  const start = performance.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    if (performance.now() - start > timeoutMs) {
      throw new Error(`no answer from ${url}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The whole section: a fresh database on the PostgreSQL server of `pgUrl`,
 * generated, measured directly and through the server, then dropped.
 */
export async function benchInitiatives(pgUrl: string, port: number) {
  const name = `atelier_bench_pool_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), 4);
  let server: ReturnType<typeof spawn> | null = null;

  try {
    console.log(`\n## postgresql: pooling suggestions, `
      + `${JSON.stringify(INITIATIVE_SIZES)}`);
    await migrateDatabase(database);
    await loadTerritories(database.db);
    const started = performance.now();
    await generateInitiativesBench(database.db);
    console.log(`generated in ${((performance.now() - started) / 1000)
      .toFixed(1)} s`);
    const sample = (await query<{ id: string }>(database.db, sql`select id
      from initiatives order by slug limit 50`)).map((r) => r.id);

    // Warm up, then measure the use case itself.
    await measureDirect(database.db, sample, 20);
    const direct = await measureDirect(database.db, sample, 500);

    server = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1",
        ATELIER_SEED: "none", ATELIER_WORKERS: "0", LOG_LEVEL: "warn",
        DATABASE_URL: url.toString(), BASE_URL: `http://127.0.0.1:${port}` },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/health`);
    const target = `${base}/api/initiatives/${sample[0]}/suggestions`;
    const body = await (await fetch(target)).json() as { items: unknown[] };
    await autocannon({ url: target, connections: 20, amount: 100 });
    const result = await autocannon({ url: target, connections: 20,
      amount: 500 });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${target}: ${result.non2xx} non-2xx, `
        + `${result.errors} errors`);
    }

    console.log("| measure | calls | p50 ms | p99 ms | suggestions |");
    console.log("|---|---|---|---|---|");
    console.log(`| use case, one call at a time (50 initiatives) | 500 | `
      + `${direct.p50.toFixed(1)} | ${direct.p99.toFixed(1)} | `
      + `${direct.suggestions.toFixed(1)} |`);
    console.log(`| GET /api/initiatives/{id}/suggestions, 20 connections | `
      + `500 | ${result.latency.p50} | ${result.latency.p99} | `
      + `${body.items.length} |`);
  } finally {
    if (server) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
