import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { createPerson, visitor } from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { outbox } from "../../mail/tables.ts";
import { requestPasswordReset } from "./passwords.ts";
import { consumeRateLimit } from "./rate-limits.ts";
import { safeRedirect } from "./routes.tsx";
import {
  requestSignInLink, signInWithLink, signInWithPassword,
} from "./sign-in.ts";
import { SESSION_COOKIE } from "./sessions.ts";
import { sessions } from "./tables.ts";
import { issueToken } from "./tokens.ts";

const PASSWORD = "un mot de passe solide";
const log = pino({ level: "silent" });

describe("signing in and out", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("signs in with address and password, with a strict session cookie",
    async () => {
      const person = await createPerson(t.database.db, { password: PASSWORD });
      const client = t.client();
      await client.get("/connexion");

      const response = await client.post("/connexion", {
        email: person.email!.toUpperCase(), password: PASSWORD,
      });

      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/");
      const cookie = (response.cookies as any[])
        .find((c) => c.name === SESSION_COOKIE);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax",
        path: "/", maxAge: 30 * 86400 });
      expect(cookie.secure).toBeFalsy();
      expect((await client.get("/compte")).body).toContain(person.fullName);
    });

  it("marks the cookie Secure when the site is served over https",
    async () => {
      const secure = await createTestApp({ baseUrl: "https://atelier.test" });
      try {
        const person = await createPerson(secure.database.db,
          { password: PASSWORD });
        const client = secure.client();
        await client.get("/connexion");
        const response = await client.post("/connexion",
          { email: person.email!, password: PASSWORD });

        const cookie = (response.cookies as any[])
          .find((c) => c.name === SESSION_COOKIE);
        expect(cookie.secure).toBe(true);
      } finally {
        await secure.close();
      }
    });

  it("answers an unknown address and a wrong password the same way",
    async () => {
      const person = await createPerson(t.database.db, { password: PASSWORD });
      const client = t.client();
      await client.get("/connexion");

      const unknown = await client.post("/connexion",
        { email: "personne@nulle-part.fr", password: PASSWORD });
      const wrong = await client.post("/connexion",
        { email: person.email!, password: "pas le bon mot de passe" });

      expect(unknown.statusCode).toBe(400);
      expect(wrong.statusCode).toBe(400);
      const message = "Adresse e-mail ou mot de passe incorrect.";
      expect(unknown.body).toContain(message);
      expect(wrong.body).toContain(message);
      expect(wrong.body).toContain(`value="${person.email}"`);
    });

  it("refuses a disabled account even with the right password", async () => {
    const person = await createPerson(t.database.db,
      { password: PASSWORD, accountStatus: "disabled" });
    const client = t.client();
    await client.get("/connexion");

    const response = await client.post("/connexion",
      { email: person.email!, password: PASSWORD });

    expect(response.statusCode).toBe(400);
  });

  it("opens a new session at each sign-in and ends the previous one",
    async () => {
      const person = await createPerson(t.database.db, { password: PASSWORD });
      const client = t.client();
      await client.get("/connexion");
      const first = await client.post("/connexion",
        { email: person.email!, password: PASSWORD });
      const second = await client.post("/connexion",
        { email: person.email!, password: PASSWORD });

      const value = (r: typeof first) => (r.cookies as any[])
        .find((c) => c.name === SESSION_COOKIE).value;
      expect(value(first)).not.toBe(value(second));
      const rows = await t.database.db.select().from(sessions)
        .where(eq(sessions.personId, person.id));
      expect(rows).toHaveLength(1);
    });

  it("goes on to the page asked for, on this site only", async () => {
    const person = await createPerson(t.database.db, { password: PASSWORD });
    const client = t.client();
    const form = await client.get("/connexion?suite=%2Fagenda%3Fmois%3D3");
    expect(form.body).toContain('name="suite" value="/agenda?mois=3"');

    const response = await client.post("/connexion", { email: person.email!,
      password: PASSWORD, suite: "//evil.example/x" });

    expect(response.headers.location).toBe("/");
    expect(safeRedirect("/agenda?mois=3")).toBe("/agenda?mois=3");
    for (const bad of ["//evil.example", "/\\evil.example",
      "https://evil.example/", "evil", "/%0d%0aSet-Cookie:x", "/\tx",
      "javascript:alert(1)"]) {
      expect(safeRedirect(bad), bad).toMatch(/^\/(?![/\\])/);
      expect(new URL(safeRedirect(bad), "http://a.test").host)
        .toBe("a.test");
    }
  });

  it("sends a visitor of a private page to sign in, then back", async () => {
    const response = await t.client().get("/compte");

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/connexion?suite=%2Fcompte");
  });

  it("signs out: the session no longer works", async () => {
    const person = await createPerson(t.database.db);
    const client = await t.client().signIn(person.id);
    await client.get("/compte");

    const response = await client.post("/deconnexion");

    expect(response.statusCode).toBe(303);
    expect((await client.get("/compte")).statusCode).toBe(303);
    const rows = await t.database.db.select().from(sessions)
      .where(eq(sessions.personId, person.id));
    expect(rows).toHaveLength(0);
  });
});

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

describe("sign-in links", () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    t = await createTestApp();
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it("mails a link that signs in once, through a real SMTP server",
    async () => {
      const person = await createPerson(t.database.db);
      const client = t.client();
      await client.get("/connexion/lien");

      const asked = await client.post("/connexion/lien",
        { email: person.email! });
      await drainOutbox(t.database.db,
        smtpTransport({ ...t.config, smtpUrl: smtp.url }), log);

      expect(asked.headers.location).toBe("/connexion");
      const mail = smtp.messages.find((m) => m.to.includes(person.email!))!;
      expect(mail.subject).toContain("lien de connexion");
      const url = /http:\/\/atelier\.test(\/connexion\/lien\/\S+)/
        .exec(mail.text)![1];

      // A mail scanner fetching the link does not use it up.
      const scanned = await t.client().get(url);
      const page = await client.get(url);
      expect(scanned.statusCode).toBe(200);
      expect(page.body).toContain("Me connecter");

      const confirmed = await client.post(url);
      expect(confirmed.headers.location).toBe("/compte");
      expect((await client.get("/compte")).body).toContain(person.fullName);

      const again = await t.client().get(url);
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain("n'est plus valable");
    });

  it("answers the same whether or not the address has an account",
    async () => {
      const person = await createPerson(t.database.db);
      const client = t.client();
      await client.get("/connexion/lien");
      const before = (await t.database.db.select().from(outbox)).length;

      const known = await client.post("/connexion/lien",
        { email: person.email! });
      const knownPage = await client.get(known.headers.location as string);
      const unknown = await client.post("/connexion/lien",
        { email: "inconnu@example.org" });
      const unknownPage = await client.get(unknown.headers.location as string);

      expect(known.headers.location).toBe(unknown.headers.location);
      expect(knownPage.body).toContain("Si un compte existe");
      expect(unknownPage.body).toContain("Si un compte existe");
      const after = (await t.database.db.select().from(outbox)).length;
      expect(after - before).toBe(1);
    });

  it("lets only one of two simultaneous uses of a link succeed", async () => {
    const person = await createPerson(t.database.db);
    const now = new Date();
    const token = await issueToken(t.database.db, "sign_in", person.id, now);
    const ctx = t.ctx(visitor);

    const results = await Promise.allSettled([
      signInWithLink(ctx, { token }), signInWithLink(ctx, { token }),
      signInWithLink(ctx, { token }),
    ]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")
      .map((r) => (r as PromiseRejectedResult).reason.code))
      .toEqual(["invalid", "invalid"]);
  });

  it("refuses a link after its 15 minutes", async () => {
    const person = await createPerson(t.database.db);
    const issued = new Date("2026-03-01T10:00:00Z");
    const token = await issueToken(t.database.db, "sign_in", person.id,
      issued);
    const at = (minutes: number) => ({ ...t.ctx(visitor),
      now: () => new Date(issued.getTime() + minutes * 60_000) });

    await expect(signInWithLink(at(16), { token })).rejects
      .toMatchObject({ code: "invalid" });
    await expect(signInWithLink(at(14), { token })).resolves
      .toMatchObject({ personId: person.id });
  });

  it("does not sign in a person whose account was disabled", async () => {
    const person = await createPerson(t.database.db,
      { accountStatus: "disabled" });
    const token = await issueToken(t.database.db, "sign_in", person.id,
      new Date());

    await expect(signInWithLink(t.ctx(visitor), { token })).rejects
      .toMatchObject({ code: "invalid" });
  });
});
