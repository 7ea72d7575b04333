import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { createPerson, visitor } from "../../../test/factories.ts";
import { outbox } from "../../mail/tables.ts";
import { requestPasswordReset } from "./passwords.ts";
import { consumeRateLimit } from "./rate-limits.ts";
import { requestSignInLink, signInWithPassword } from "./sign-in.ts";

const PASSWORD = "un mot de passe solide";

describe("rate limits", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("allows max hits in a window, refuses the next, resets after it",
    async () => {
      const now = new Date("2026-03-01T10:00:00Z");
      const hit = (at: Date) =>
        consumeRateLimit(t.database.db, "essai", 3, 600, at);

      for (let i = 0; i < 3; i++) await hit(now);
      await expect(hit(now)).rejects.toMatchObject({ code: "rate_limited",
        message: expect.stringContaining("Trop de tentatives") });
      await expect(hit(new Date(now.getTime() + 600_000))).resolves
        .toBeUndefined();
    });

  it("counts hits that arrive at the same time", async () => {
    const now = new Date("2026-03-01T11:00:00Z");
    const results = await Promise.allSettled(Array.from({ length: 8 },
      () => consumeRateLimit(t.database.db, "simultané", 5, 600, now)));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
  });

  it("stops password guessing on one address after 10 attempts",
    async () => {
      const person = await createPerson(t.database.db, { password: PASSWORD });
      const client = t.client();
      await client.get("/connexion");
      for (let i = 0; i < 10; i++) {
        const r = await client.post("/connexion",
          { email: person.email!, password: `faux ${i}` });
        expect(r.statusCode).toBe(400);
      }

      const blocked = await client.post("/connexion",
        { email: person.email!, password: PASSWORD });

      expect(blocked.statusCode).toBe(429);
      expect(blocked.body).toContain("Trop de tentatives");
    });

  it("never locks out someone who signs in rightly, however often",
    async () => {
      const person = await createPerson(t.database.db, { password: PASSWORD });
      for (let i = 0; i < 15; i++) {
        const client = t.client();
        await client.get("/connexion");
        const r = await client.post("/connexion",
          { email: person.email!, password: PASSWORD });
        expect(r.statusCode).toBe(303);
      }
    });

  it("counts only failures: a right password does not reset the count",
    async () => {
      const person = await createPerson(t.database.db, { password: PASSWORD });
      const client = t.client();
      await client.get("/connexion");
      for (let i = 0; i < 9; i++) {
        await client.post("/connexion",
          { email: person.email!, password: `faux ${i}` });
      }
      const right = await client.post("/connexion",
        { email: person.email!, password: PASSWORD });
      expect(right.statusCode).toBe(303);

      const other = t.client();
      await other.get("/connexion");
      await other.post("/connexion",
        { email: person.email!, password: "faux encore" });
      const blocked = await other.post("/connexion",
        { email: person.email!, password: PASSWORD });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.body).toContain(
        "Trop de tentatives. Réessayez dans quelques minutes.");
    });

  // How many of settled attempts ended each way: "invalid" is a password
  // that was checked and found wrong, "rate_limited" one never checked.
  const outcomes = (results: PromiseSettledResult<unknown>[]) => {
    const counts: Record<string, number> = {};
    for (const r of results) {
      const code = r.status === "fulfilled" ? "ok" : r.reason.code;
      counts[code] = (counts[code] ?? 0) + 1;
    }
    return counts;
  };

  it("checks no more than 10 passwords of one address sent at once",
    async () => {
      const person = await createPerson(t.database.db, { password: PASSWORD });
      const ctx = t.ctx(visitor);

      // Each from its own IP, so that only the limit of the address binds.
      const results = await Promise.allSettled(Array.from({ length: 40 },
        (_, i) => signInWithPassword(ctx, { email: person.email!,
          password: `faux ${i}`, ip: `10.1.0.${i}` })));

      expect(outcomes(results)).toEqual({ invalid: 10, rate_limited: 30 });
      await expect(signInWithPassword(ctx, { email: person.email!,
        password: PASSWORD, ip: "10.1.1.1" })).rejects
        .toMatchObject({ code: "rate_limited" });
    });

  it("checks no more than 30 passwords from one IP sent at once",
    async () => {
      const ctx = t.ctx(visitor);

      const results = await Promise.allSettled(Array.from({ length: 45 },
        (_, i) => signInWithPassword(ctx, { email: `essai${i}@example.org`,
          password: "faux", ip: "10.2.0.1" })));

      expect(outcomes(results)).toEqual({ invalid: 30, rate_limited: 15 });
    });

  it("signs in rightly amid failures sent at once, without counting it",
    async () => {
      const person = await createPerson(t.database.db, { password: PASSWORD });
      const ctx = t.ctx(visitor);
      const attempt = (password: string, i: number) => signInWithPassword(
        ctx, { email: person.email!, password, ip: `10.3.0.${i}` });

      const results = await Promise.allSettled([attempt("faux", 0),
        attempt("faux", 1), attempt(PASSWORD, 2), attempt("faux", 3)]);

      expect(outcomes(results)).toEqual({ invalid: 3, ok: 1 });
      // 3 failures so far: 7 more are checked, the next is refused.
      for (let i = 0; i < 7; i++) {
        await expect(attempt("faux", 10 + i)).rejects
          .toMatchObject({ code: "invalid" });
      }
      await expect(attempt(PASSWORD, 20)).rejects
        .toMatchObject({ code: "rate_limited" });
    });

  it("mails no more than the limit of links asked for at once", async () => {
    const person = await createPerson(t.database.db);
    const ctx = t.ctx(visitor);
    const mailsTo = async (email: string) => (await t.database.db.select()
      .from(outbox).where(eq(outbox.recipient, email))).length;

    const perAddress = await Promise.allSettled(Array.from({ length: 12 },
      (_, i) => (i % 2 ? requestSignInLink : requestPasswordReset)(ctx,
        { email: person.email!, ip: `10.4.0.${i}` })));
    const perIp = await Promise.allSettled(Array.from({ length: 25 },
      (_, i) => requestSignInLink(ctx,
        { email: `lien${i}@example.org`, ip: "10.4.1.1" })));

    expect(outcomes(perAddress)).toEqual({ ok: 5, rate_limited: 7 });
    expect(await mailsTo(person.email!)).toBe(5);
    expect(outcomes(perIp)).toEqual({ ok: 20, rate_limited: 5 });
  });

  it("stops link requests for one address after 5 in an hour", async () => {
    const client = t.client();
    await client.get("/connexion/lien");
    for (let i = 0; i < 5; i++) {
      const r = await client.post("/connexion/lien",
        { email: "limite@example.org" });
      expect(r.statusCode).toBe(303);
    }

    const blocked = await client.post("/mot-de-passe/oubli",
      { email: "limite@example.org" });

    expect(blocked.statusCode).toBe(429);
  });
});
