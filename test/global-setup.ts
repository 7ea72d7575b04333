import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import {
  migrateDatabase, openPglite, openPostgres,
} from "../src/db/client.ts";
import { loadTerritories } from "../src/features/territories/load.ts";

/**
 * Prepares one migrated database with the territories loaded, which each
 * test file then copies: a PGlite dump, or a PostgreSQL template database.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `atelier_tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const database = openPostgres(withDatabase(url, name), 2);
    await migrateDatabase(database);
    await loadTerritories(database.db);
    await database.close();
    project.provide("templateDatabase", name);

    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }

  const file = path.resolve(".tmp/pglite-template.tar.gz");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = await openPglite(undefined);
  await migrateDatabase(database);
  await loadTerritories(database.db);
  const client: any = (database.db as any).$client;
  const dump: Blob = await client.dumpDataDir("gzip");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide("templateDatabase", file);
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;

  return parsed.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
