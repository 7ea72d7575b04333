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

/** PGlite in a folder (or in memory), with the extensions Atelier needs. */
export async function openPglite(
  dataDir: string | undefined, loadDataDir?: Blob,
): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir,
    loadDataDir,
    extensions: { unaccent, pg_trgm },
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;

  return { db, engine: "pglite", close: () => client.close() };
}

export function openPostgres(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection cut by the server (a restart, a failover) must not
  // bring the process down: the pool replaces it on the next query.
  pool.on("error", () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;

  return { db, engine: "postgresql", close: () => pool.end() };
}

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
