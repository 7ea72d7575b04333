import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { createPerson, visitor } from "../../../test/factories.ts";
import { createFirstStaff, ensureFirstStaffLink } from "./first-staff.ts";
import { people } from "./tables.ts";

const PASSWORD = "le tout premier mot de passe";

describe("the first staff account", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("makes a one-time link that creates the first staff account",
    async () => {
      // An ally alone does not count: nobody could run the alliance.
      await createPerson(t.database.db);
      const url = await ensureFirstStaffLink(t.ctx(visitor));
      expect(url).toMatch(/^http:\/\/atelier\.test\/premier-compte\/\S+$/);
      const path = new URL(url!).pathname;
      const client = t.client();

      const form = await client.get(path);
      const bad = await client.post(path, { fullName: "Alex Durand",
        email: "alex@example.org", password: "court", confirmation: "court" });
      const done = await client.post(path, { fullName: "Alex Durand",
        email: "Alex@Example.org", password: PASSWORD,
        confirmation: PASSWORD });

      expect(form.body).toContain('autocomplete="new-password"');
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('value="Alex Durand"');
      expect(done.headers.location).toBe("/admin");
      const [person] = await t.database.db.select().from(people)
        .where(eq(people.email, "alex@example.org"));
      expect(person).toMatchObject({ role: "staff", accountStatus: "active" });
      expect((await client.get("/admin")).statusCode).toBe(200);
      expect((await t.client().get(path)).statusCode).toBe(400);
    });

  it("makes no link, and accepts none, once staff exists", async () => {
    const stale = await createTestApp();
    try {
      const url = await ensureFirstStaffLink(stale.ctx(visitor));
      await createPerson(stale.database.db, { role: "staff" });

      expect(await ensureFirstStaffLink(stale.ctx(visitor))).toBeNull();
      await expect(createFirstStaff(stale.ctx(visitor), {
        token: url!.split("/").pop()!, fullName: "Intrus",
        email: "intrus@example.org", password: PASSWORD,
        confirmation: PASSWORD,
      })).rejects.toMatchObject({ code: "invalid" });
    } finally {
      await stale.close();
    }
  });

  it("refuses a made-up or expired link", async () => {
    const fresh = await createTestApp();
    try {
      const url = await ensureFirstStaffLink(fresh.ctx(visitor));
      const later = { ...fresh.ctx(visitor),
        now: () => new Date(Date.now() + 25 * 3600_000) };
      const input = { fullName: "Alex", email: "a@example.org",
        password: PASSWORD, confirmation: PASSWORD };

      await expect(createFirstStaff(fresh.ctx(visitor),
        { ...input, token: "invente" })).rejects
        .toMatchObject({ code: "invalid" });
      await expect(createFirstStaff(later,
        { ...input, token: url!.split("/").pop()! })).rejects
        .toMatchObject({ code: "invalid" });
    } finally {
      await fresh.close();
    }
  });
});
