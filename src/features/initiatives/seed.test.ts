import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { createOrganisation } from "../../../test/factories.ts";
import { systemCtx } from "../../domain/context.ts";
import { findInitiatives } from "./search.ts";
import { findPoolingSuggestions } from "./pooling-suggestions.ts";
import { seedInitiatives } from "./seed.ts";

describe("example initiatives of the bundled data", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    // As the directory import writes them (name as in the spreadsheet).
    for (const name of ["Cerdd", "Virage Énergie", "Commune de Malaunay"]) {
      await createOrganisation(t.database.db, { name });
    }
  });
  afterAll(async () => { await t.close(); });

  it("publishes those of known allies, skips the others, and runs again", async () => {
    const ctx = systemCtx(t.ctx({ kind: "visitor" }));

    const first = await seedInitiatives(ctx);
    const again = await seedInitiatives(ctx);

    expect(first).toEqual({ loaded: 3, skipped: 5 });
    expect(again.loaded).toBe(0);
    const { items } = await findInitiatives(t.ctx({ kind: "visitor" }), {});
    expect(items).toHaveLength(3);
  });

  it("shows the feature working: an offer of one meets a need of another", async () => {
    const { items } = await findInitiatives(t.ctx({ kind: "visitor" }),
      { q: "plan communal de transition" });
    const suggestions = await findPoolingSuggestions(
      t.ctx({ kind: "visitor" }), items[0].id, { publicOnly: true });

    expect(suggestions[0].name).toBe("Scénarios locaux de sobriété énergétique");
    expect(suggestions[0].reasons[0]).toMatch(/^propose une méthode dont/);
  });
});
