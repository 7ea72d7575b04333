import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import { DomainError } from "../domain/errors.ts";
import * as schema from "./schema.ts";

export type Schema = typeof schema;

/**
 * A database handle or an open transaction: use cases accept either, so
 * that one use case can run inside another's transaction.
 */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  engine: "pglite" | "postgresql";
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)), "../../migrations");

export const DATA_DIR_IN_USE = "Atelier est en cours d'exécution sur ce "
  + "dossier de données : arrêtez-le, ou utilisez un serveur PostgreSQL "
  + "(DATABASE_URL) pour administrer pendant qu'il tourne.";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: any) {
    // EPERM: the process exists but belongs to someone else.
    return error?.code === "EPERM";
  }
};

/**
 * Takes the embedded database folder for this process alone. PGlite is a
 * whole PostgreSQL in one process: a second process on the same folder
 * sees other data, and the last to close overwrites (or corrupts) the
 * other's writes. The lock file holds the owner's pid; a lock whose
 * process is gone (a crash, a kill) is stale and taken over. Returns the
 * function that releases it.
 */
export function lockDataDir(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
    } catch (error: any) {
      if (error?.code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new DomainError("conflict", DATA_DIR_IN_USE);
      }
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    const release = () => {
      process.removeListener("exit", release);
      try {
        if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) {
          fs.rmSync(lockPath, { force: true });
        }
      } catch {
        // Already gone: nothing to release.
      }
    };
    // An exit without close (an uncaught error) still frees the folder.
    process.on("exit", release);
    return release;
  }

  throw new DomainError("conflict", DATA_DIR_IN_USE);
}

/**
 * PGlite in a folder (or in memory), with the extensions Atelier needs. A
 * folder is locked for this process (`<folder>.lock`) until closed.
 */
export async function openPglite(
  dataDir: string | undefined, loadDataDir?: Blob,
): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
    unlock = lockDataDir(`${path.resolve(dataDir)}.lock`);
    fs.mkdirSync(dataDir, { recursive: true });
  }
  try {
    const client = await PGlite.create({
      dataDir,
      loadDataDir,
      extensions: { unaccent, pg_trgm },
    });
    const db = drizzlePglite(client, { schema }) as unknown as Db;

    return { db, engine: "pglite", close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    } };
  } catch (error) {
    unlock();
    throw error;
  }
}

export function openPostgres(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection cut by the server (a restart, a failover) must not
  // bring the process down: the pool replaces it on the next query.
  pool.on("error", () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;

  return { db, engine: "postgresql", close: () => pool.end() };
}

/**
 * The configured database: PostgreSQL when DATABASE_URL is set, otherwise
 * PGlite in `<dataDir>/db`, locked by `<dataDir>/db.lock` so that only one
 * process (the server or one command) uses it at a time.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
}): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);

  return openPglite(path.join(options.dataDir, "db"));
}

/**
 * Applies the committed migrations. On a server, an advisory lock keeps
 * several nodes starting at once from migrating side by side.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.engine === "pglite") {
    await migratePglite(database.db as any, config);
    return;
  }

  await database.db.execute(sql`select pg_advisory_lock(724011)`);
  try {
    await migratePg(database.db as any, config);
  } finally {
    await database.db.execute(sql`select pg_advisory_unlock(724011)`);
  }
}

/** Runs raw SQL and returns its rows, the same way on both engines. */
export async function query<T>(db: Db, statement: SQL): Promise<T[]> {
  const result: any = await db.execute(statement);

  return result.rows as T[];
}
