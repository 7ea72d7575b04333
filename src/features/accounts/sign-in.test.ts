import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { createPerson, visitor } from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { outbox } from "../../mail/tables.ts";
import { safeRedirect } from "./routes.tsx";
import { signInWithLink } from "./sign-in.ts";
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
