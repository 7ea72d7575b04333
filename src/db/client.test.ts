import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { DATA_DIR_IN_USE, openDatabase } from "./client.ts";

const run = promisify(execFile);

describe("an embedded database folder", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "atelier-lock-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const lockPath = path.join(dataDir, "db.lock");

  it("is used by one process at a time, and free again once closed",
    async () => {
      const first = await openDatabase({ dataDir });
      try {
        expect(fs.readFileSync(lockPath, "utf8")).toBe(String(process.pid));
        await expect(openDatabase({ dataDir })).rejects
          .toMatchObject({ code: "conflict", message: DATA_DIR_IN_USE });
      } finally {
        await first.close();
      }
      expect(fs.existsSync(lockPath)).toBe(false);

      const again = await openDatabase({ dataDir });
      await again.close();
    }, 120_000);

  it("takes over the lock of a process that is gone", async () => {
    // A finished child's pid names no living process any more.
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    fs.writeFileSync(lockPath, String(gone));

    const database = await openDatabase({ dataDir });
    expect(fs.readFileSync(lockPath, "utf8")).toBe(String(process.pid));
    await database.close();
  }, 120_000);

  it("refuses a command while another process holds it, in French",
    async () => {
      const held = await openDatabase({ dataDir });
      try {
        const env = { ...process.env, DATABASE_URL: "",
          ATELIER_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
        const result = await run(process.execPath,
          ["--import", "tsx", "src/cli.ts", "user", "create", "--email",
            "ope@example.org", "--role", "staff"], { env })
          .then(() => ({ code: 0, stderr: "" }),
            (e) => ({ code: e.code as number, stderr: e.stderr as string }));

        expect(result.code).toBe(1);
        expect(result.stderr).toContain(DATA_DIR_IN_USE);
      } finally {
        await held.close();
      }
    }, 120_000);

  it("leaves PostgreSQL alone: no lock without an embedded folder",
    async () => {
      if (!process.env.DATABASE_URL) return;
      const database = await openDatabase({ dataDir,
        databaseUrl: process.env.DATABASE_URL });
      const other = await openDatabase({ dataDir,
        databaseUrl: process.env.DATABASE_URL });
      expect(fs.existsSync(lockPath)).toBe(false);
      await database.close();
      await other.close();
    });
});
