import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test/app.ts";
import { systemCtx } from "./domain/context.ts";
import { organisations } from "./features/directory/tables.ts";
import { seedAllianceData } from "./seed.ts";

describe("seeding the alliance data", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("loads one organisation per ally, and again changes nothing",
    async () => {
      const ctx = systemCtx(t.ctx({ kind: "visitor" }));
      await seedAllianceData(ctx);
      await seedAllianceData(ctx);

      expect(await t.database.db.select().from(organisations))
        .toHaveLength(29);
    });
});
