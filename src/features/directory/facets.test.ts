import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { createOrganisationRow } from "../../../test/factories.ts";
import { findDirectoryFacets } from "./search.ts";
import { organisations } from "./tables.ts";

describe("directory filters", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("offers a theme as soon as an organisation has it, never a stale list", async () => {
    const db = t.database.db;
    const org = await createOrganisationRow(db, { themes: ["eau"] });
    expect((await findDirectoryFacets(db)).themes).toEqual(["eau"]);

    await db.update(organisations).set({ themes: ["eau", "sols vivants"] })
      .where(eq(organisations.id, org.id));
    await createOrganisationRow(db, { skills: ["cartographie"] });

    const facets = await findDirectoryFacets(db);
    expect(facets.themes).toEqual(["eau", "sols vivants"]);
    expect(facets.skills).toEqual(["cartographie"]);
  });
});
