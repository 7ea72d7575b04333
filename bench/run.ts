/**
 * `npm run bench`: generates the directory and agenda at size, starts the
 * real server on each engine, and measures the main pages with autocannon
 * at 20 connections, beside a bare static route of the same size; then
 * the pooling suggestions at size on PostgreSQL (`bench/initiatives.ts`).
 * BENCH_SECTIONS=pages or =initiatives runs one part only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import {
  migrateDatabase, openPglite, openPostgres, type Database,
} from "../src/db/client.ts";
import { loadTerritories } from "../src/features/territories/load.ts";
import { DEFAULT_SIZES, generateBenchData } from "./generate.ts";
import { benchInitiatives } from "./initiatives.ts";
import { generateLibrary, LIBRARY_SIZE, measureSql } from "./library.ts";

const CONNECTIONS = 20;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 4900);
const REFERENCE_PORT = PORT + 1;
const PG_URL = process.env.BENCH_DATABASE_URL
  ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PGLITE_DIR = path.resolve(".tmp/bench-pglite");

interface Target { name: string; path: string }

function targets(): Target[] {
  const from = new Date();
  const to = new Date(from.getTime() + 30 * 86400_000);

  return [
    { name: "recherche annuaire", path: "/annuaire?q=transition" },
    { name: "page agenda", path: "/agenda" },
    { name: "/agenda.ics", path: "/agenda.ics" },
    { name: "/api/events", path: `/api/events?from=${from.toISOString()}`
      + `&to=${to.toISOString()}` },
  ];
}

async function prepare(database: Database) {
  await migrateDatabase(database);
  await loadTerritories(database.db);
  await generateBenchData(database.db, DEFAULT_SIZES);
  await database.close();
}

function startProcess(script: string, env: Record<string, string>) {
  return spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<number> {
  const start = performance.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return performance.now() - start;
    } catch { /* not listening yet */ }
    if (performance.now() - start > timeoutMs) {
      throw new Error(`no answer from ${url}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function measure(url: string) {
  const result = await autocannon({
    url, connections: CONNECTIONS, duration: DURATION,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }

  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

function residentMb(child: ChildProcess): number {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);

  return Math.round(kb / 1024);
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

async function benchEngine(engine: "pglite" | "postgresql") {
  const env: Record<string, string> = {
    PORT: String(PORT), HOST: "127.0.0.1", ATELIER_SEED: "none",
    ATELIER_WORKERS: "0", LOG_LEVEL: "warn",
    BASE_URL: `http://127.0.0.1:${PORT}`,
  };
  let dropDatabase = async () => {};

  console.log(`\n## ${engine}: generating ${JSON.stringify(DEFAULT_SIZES)}`);
  if (engine === "pglite") {
    fs.rmSync(PGLITE_DIR, { recursive: true, force: true });
    await prepare(await openPglite(path.join(PGLITE_DIR, "db")));
    env.ATELIER_DATA_DIR = PGLITE_DIR;
    env.DATABASE_URL = "";
  } else {
    const name = `atelier_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    await prepare(openPostgres(url.toString(), 2));
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }

  const base = `http://127.0.0.1:${PORT}`;
  let server = startProcess("src/server.ts", env);
  const reference = startProcess("bench/reference-server.ts",
    { PORT: String(REFERENCE_PORT) });
  try {
    await waitFor(`${base}/health`);
    await waitFor(`http://127.0.0.1:${REFERENCE_PORT}/bytes/10`);
    console.log("| page | bytes | req/s | p50 ms | p99 ms | ref req/s | ref p99 ms | ratio |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const target of targets()) {
      const body = await (await fetch(base + target.path)).arrayBuffer();
      const page = await measure(base + target.path);
      const ref = await measure(
        `http://127.0.0.1:${REFERENCE_PORT}/bytes/${body.byteLength}`);
      console.log(`| ${target.name} | ${body.byteLength} | ${page.rps.toFixed(0)}`
        + ` | ${page.p50} | ${page.p99} | ${ref.rps.toFixed(0)} | ${ref.p99}`
        + ` | ${(page.rps / ref.rps).toFixed(3)} |`);
    }
    console.log(`\nresident memory of the server after the load: `
      + `${residentMb(server)} MB`);

    await stop(server);
    const started = performance.now();
    server = startProcess("src/server.ts", env);
    await waitFor(`${base}/annuaire`, 120_000);
    console.log(`restart to first page served: `
      + `${((performance.now() - started) / 1000).toFixed(2)} s`);
  } finally {
    await stop(server);
    await stop(reference);
    await dropDatabase();
  }
}

/**
 * PostgreSQL only: the document base at 50,000 generated documents,
 * searched through the server at 20 connections, with and without the
 * results kept in memory, and the same search replayed straight in SQL
 * on one connection.
 */
const LIBRARY_QUERIES = ["covoiturage", "méthanisation habitants",
  '"zones humides" -forêt', "cooperer", "transition"];

async function benchLibrary() {
  // BENCH_KEEP_LIBRARY=1 keeps the generated base between runs: generating
  // 50,000 documents takes minutes, migrating an existing one seconds.
  const keep = process.env.BENCH_KEEP_LIBRARY === "1";
  const name = keep ? "atelier_bench_library"
    : `atelier_bench_library_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const exists = (await admin.query(
    "select 1 from pg_database where datname = $1", [name])).rowCount;
  if (!exists) await admin.query(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const env: Record<string, string> = {
    PORT: String(PORT), HOST: "127.0.0.1", ATELIER_SEED: "none",
    ATELIER_WORKERS: "0", LOG_LEVEL: "warn", DATABASE_URL: url.toString(),
    BASE_URL: `http://127.0.0.1:${PORT}`,
  };
  let server: ChildProcess | undefined;
  try {
    const database = openPostgres(url.toString(), 2);
    await migrateDatabase(database);
    const [present] = (await database.db.execute(
      "select count(*)::int n from documents" as any) as any).rows;
    const started = performance.now();
    if (present.n === 0) {
      console.log(`\n## document base (postgresql): generating `
        + `${LIBRARY_SIZE} documents`);
      await generateLibrary(database.db, LIBRARY_SIZE);
    } else {
      console.log(`\n## document base (postgresql): reusing ${name}`);
      await database.db.execute("analyze documents" as any);
    }
    const [size] = (await database.db.execute(
      "select count(*)::int n, avg(length(body))::int chars, "
      + "avg(array_length(regexp_split_to_array(body, ' '), 1))::int words, "
      + "pg_size_pretty(pg_total_relation_size('documents')) size "
      + "from documents" as any) as any).rows;
    console.log(`ready in ${((performance.now() - started) / 1000)
      .toFixed(0)} s: ${size.n} documents, ${size.words} words and `
      + `${size.chars} characters on average, table ${size.size}`);
    await database.close();

    // Each query is asked again and again: once with the results kept in
    // memory until the base changes (the default), once with every search
    // computed, as a query nobody asked before would be.
    const base = `http://127.0.0.1:${PORT}`;
    const served = new Map<string, Record<string, Awaited<
      ReturnType<typeof measure>>>>();
    for (const cache of ["1000", "0"]) {
      server = startProcess("src/server.ts",
        { ...env, ATELIER_SEARCH_CACHE: cache });
      await waitFor(`${base}/health`, 120_000);
      for (const q of LIBRARY_QUERIES) {
        const web = await measure(
          `${base}/api/search?q=${encodeURIComponent(q)}`);
        served.set(q, { ...served.get(q), [cache]: web });
      }
      await stop(server);
      server = undefined;
    }
    console.log("| query | hits | kept: req/s | kept: p50 ms | kept: p99 ms "
      + "| computed: req/s | computed: p50 ms | computed: p99 ms "
      + "| SQL p50 ms | SQL p99 ms |");
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    for (const q of LIBRARY_QUERIES) {
      const { "1000": kept, "0": computed } = served.get(q)!;
      const direct = await measureSql(url.toString(), q);
      console.log(`| ${q} | ${direct.total} | ${kept.rps.toFixed(0)} | `
        + `${kept.p50} | ${kept.p99} | ${computed.rps.toFixed(0)} | `
        + `${computed.p50} | ${computed.p99} | ${direct.p50.toFixed(1)} | `
        + `${direct.p99.toFixed(1)} |`);
    }
  } finally {
    if (server) await stop(server);
    if (!keep) {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
    await admin.end();
  }
}

const engines = (process.env.BENCH_ENGINES ?? "pglite,postgresql").split(",");
// "pages" measures the main pages on each engine; "initiatives" the pooling
// suggestions at 10,000 initiatives and organisations and "library" the
// document base at 50,000 documents, both on PostgreSQL only.
const sections = (process.env.BENCH_SECTIONS ?? "pages,initiatives,library")
  .split(",");
if (sections.includes("pages")) {
  for (const engine of engines) {
    await benchEngine(engine as "pglite" | "postgresql");
  }
}
if (sections.includes("initiatives")) await benchInitiatives(PG_URL, PORT);
if (sections.includes("library")) await benchLibrary();
