import pino from "pino";
import type { Config } from "./config.ts";
import {
  migrateDatabase, openDatabase, type Database,
} from "./db/client.ts";
import { systemCtx, type Ctx } from "./domain/context.ts";
import { loadTerritories } from "./features/territories/load.ts";

/**
 * Opens the configured database and brings it up to date: migrations and
 * official territories. Shared by the server and the command line.
 */
export async function openReadyDatabase(config: Config): Promise<Database> {
  const database = await openDatabase(config);
  await migrateDatabase(database);
  await loadTerritories(database.db);

  return database;
}

/** A staff context for operators' commands and background jobs. */
export function operatorCtx(config: Config, database: Database): Ctx {
  const log = pino({ level: config.logLevel });

  return systemCtx({ db: database.db, log, config, now: () => new Date() });
}
