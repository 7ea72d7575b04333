import fs from "node:fs";
import crypto from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { openPglite, openPostgres, type Database } from "../src/db/client.ts";
import { withDatabase } from "./global-setup.ts";

/**
 * A fresh database for one test file, copied from the migrated template:
 * PGlite in memory, or a new database on the PostgreSQL server of
 * DATABASE_URL that is dropped on close.
 */
export async function createTestDatabase(): Promise<Database> {
  const template = inject("templateDatabase");
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dump = new Blob([fs.readFileSync(template)]);

    return openPglite(undefined, dump);
  }

  const name = `atelier_t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const database = openPostgres(withDatabase(url, name), 10);

  return {
    ...database,
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      // pool.end() can resolve while a socket is still closing; dropping
      // "with (force)" then kills it and pg reports an unhandled error. A
      // plain drop waits for the last sockets; force is the last resort.
      for (let attempt = 0; ; attempt += 1) {
        try {
          await dropper.query(`drop database if exists ${name}${
            attempt >= 40 ? " with (force)" : ""}`);
          break;
        } catch (error: any) {
          if (error.code !== "55006" || attempt >= 40) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      await dropper.end();
    },
  };
}
