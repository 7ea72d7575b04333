import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("user create on the command line", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "atelier-cli-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  // Always on an embedded database of its own, never on DATABASE_URL.
  const env = { ...process.env, DATABASE_URL: "", ATELIER_DATA_DIR: dataDir,
    BASE_URL: "http://atelier.test", LOG_LEVEL: "silent" };
  const atelier = (...args: string[]) =>
    run(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { env })
      .then((r) => ({ code: 0, ...r }),
        (e) => ({ code: e.code as number, stdout: e.stdout as string,
          stderr: e.stderr as string }));

  it("creates an account and prints its link; refuses a second one",
    async () => {
      const created = await atelier("user", "create", "--email",
        "ope@example.org", "--role", "staff", "--name", "Opé Rateur");
      const again = await atelier("user", "create", "--email",
        "OPE@example.org", "--role", "ally");
      const badRole = await atelier("user", "create", "--email",
        "autre@example.org", "--role", "chef");

      expect(created.code).toBe(0);
      expect(created.stdout).toContain("Opé Rateur <ope@example.org>");
      expect(created.stdout)
        .toMatch(/http:\/\/atelier\.test\/invitation\/\S+/);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("Un compte existe déjà");
      expect(badRole.code).toBe(1);
      expect(badRole.stderr).toContain("Rôle inconnu");
    }, 120_000);
});
