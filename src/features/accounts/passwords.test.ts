import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import { outbox } from "../../mail/tables.ts";
import { changePassword, resetPassword } from "./passwords.ts";
import { verifyPassword } from "./secrets.ts";
import { signInWithLink } from "./sign-in.ts";
import { people, sessions } from "./tables.ts";
import { issueToken } from "./tokens.ts";

const OLD = "ancien mot de passe";
const NEW = "nouveau mot de passe";

describe("passwords", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  const passwordOf = async (id: string) => (await t.database.db.select()
    .from(people).where(eq(people.id, id)))[0].passwordHash;
  const sessionCount = async (id: string) => (await t.database.db.select()
    .from(sessions).where(eq(sessions.personId, id))).length;

  it("mails a reset link that sets a new password and ends other sessions",
    async () => {
      const person = await createPerson(t.database.db, { password: OLD });
      await t.client().signIn(person.id);
      const client = t.client();
      await client.get("/mot-de-passe/oubli");

      const asked = await client.post("/mot-de-passe/oubli",
        { email: person.email! });
      const [mail] = await t.database.db.select().from(outbox)
        .where(eq(outbox.recipient, person.email!))
        .orderBy(desc(outbox.createdAt));
      const url = /\/mot-de-passe\/nouveau\/\S+/.exec(mail.text)![0];
      const form = await client.get(url);
      const short = await client.post(url,
        { password: "court", confirmation: "court" });
      const done = await client.post(url,
        { password: NEW, confirmation: NEW });

      expect(asked.headers.location).toBe("/connexion");
      expect(mail.text).toContain("valable une heure");
      expect(form.body).toContain('autocomplete="new-password"');
      expect(short.statusCode).toBe(400);
      expect(short.body).toContain("au moins 10 caractères");
      expect(done.headers.location).toBe("/compte");
      expect(await verifyPassword(NEW, await passwordOf(person.id)))
        .toBe(true);
      // Only the session of the browser that reset the password remains.
      expect(await sessionCount(person.id)).toBe(1);
      expect((await client.get("/compte")).statusCode).toBe(200);
      expect((await client.post(url, { password: NEW, confirmation: NEW }))
        .statusCode).toBe(400);
    });

  it("refuses a reset link after one hour", async () => {
    const person = await createPerson(t.database.db, { password: OLD });
    const issued = new Date("2026-03-01T10:00:00Z");
    const token = await issueToken(t.database.db, "password_reset",
      person.id, issued);
    const ctx = { ...t.ctx(visitor),
      now: () => new Date(issued.getTime() + 61 * 60_000) };

    await expect(resetPassword(ctx,
      { token, password: NEW, confirmation: NEW }))
      .rejects.toMatchObject({ code: "invalid" });
  });

  it("sends no mail for an address without an active account", async () => {
    await createPerson(t.database.db,
      { email: "demande@example.org", accountStatus: "requested" });
    const client = t.client();
    await client.get("/mot-de-passe/oubli");

    const response = await client.post("/mot-de-passe/oubli",
      { email: "demande@example.org" });

    expect(response.statusCode).toBe(303);
    const mails = await t.database.db.select().from(outbox)
      .where(eq(outbox.recipient, "demande@example.org"));
    expect(mails).toHaveLength(0);
  });

  it("changes one's own password with the current one", async () => {
    const person = await createPerson(t.database.db, { password: OLD });
    const client = await t.client().signIn(person.id);
    await t.client().signIn(person.id);
    const page = await client.get("/compte");

    const wrong = await client.post("/compte/mot-de-passe",
      { currentPassword: "pas celui-là", password: NEW, confirmation: NEW });
    const mismatch = await client.post("/compte/mot-de-passe",
      { currentPassword: OLD, password: NEW, confirmation: "autre chose" });
    const done = await client.post("/compte/mot-de-passe",
      { currentPassword: OLD, password: NEW, confirmation: NEW });

    expect(page.body).toContain('autocomplete="current-password"');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("Le mot de passe actuel est incorrect.");
    expect(mismatch.body).toContain("ne sont pas identiques");
    expect(done.statusCode).toBe(303);
    expect(await verifyPassword(NEW, await passwordOf(person.id))).toBe(true);
    expect(await sessionCount(person.id)).toBe(1);
    expect((await client.get("/compte")).statusCode).toBe(200);
  });

  it("ends every link mailed before the password was changed", async () => {
    const person = await createPerson(t.database.db, { password: OLD });
    const issue = (purpose: "password_reset" | "sign_in") =>
      issueToken(t.database.db, purpose, person.id, new Date());
    const reset = await issue("password_reset");
    const link = await issue("sign_in");
    const client = await t.client().signIn(person.id);
    await client.get("/compte");

    const done = await client.post("/compte/mot-de-passe",
      { currentPassword: OLD, password: NEW, confirmation: NEW });

    expect(done.statusCode).toBe(303);
    const stranger = t.client();
    const page = await stranger.get(`/mot-de-passe/nouveau/${reset}`);
    await stranger.get("/mot-de-passe/oubli");
    const used = await stranger.post(`/mot-de-passe/nouveau/${reset}`,
      { password: "mot de passe du voleur", confirmation:
        "mot de passe du voleur" });
    expect(page.statusCode).toBe(400);
    expect(used.statusCode).toBe(400);
    expect(used.body).toContain("n'est plus valable");
    await expect(signInWithLink(t.ctx(visitor), { token: link })).rejects
      .toMatchObject({ code: "invalid" });
    expect(await verifyPassword(NEW, await passwordOf(person.id))).toBe(true);
  });

  it("ends the other links of the account when one resets the password",
    async () => {
      const person = await createPerson(t.database.db, { password: OLD });
      const issue = (purpose: "password_reset" | "sign_in") =>
        issueToken(t.database.db, purpose, person.id, new Date());
      const [first, second, link] = [await issue("password_reset"),
        await issue("password_reset"), await issue("sign_in")];
      const ctx = t.ctx(visitor);

      await resetPassword(ctx,
        { token: first, password: NEW, confirmation: NEW });

      await expect(resetPassword(ctx, { token: second,
        password: "encore un autre", confirmation: "encore un autre" }))
        .rejects.toMatchObject({ code: "invalid" });
      await expect(signInWithLink(ctx, { token: link })).rejects
        .toMatchObject({ code: "invalid" });
      expect(await verifyPassword(NEW, await passwordOf(person.id)))
        .toBe(true);
    });

  it("refuses to change another person's password, even for staff",
    async () => {
      const person = await createPerson(t.database.db, { password: OLD });
      const staff = await createPerson(t.database.db, { role: "staff" });
      const input = { personId: person.id, currentPassword: OLD,
        password: NEW, confirmation: NEW };

      for (const actor of [actorOf(staff), visitor]) {
        await expect(changePassword(t.ctx(actor), input)).rejects
          .toMatchObject({ code: actor.kind === "visitor"
            ? "unauthenticated" : "forbidden" });
      }
      expect(await verifyPassword(OLD, await passwordOf(person.id)))
        .toBe(true);
    });

  it("shows my account and the personal pages of other features",
    async () => {
      const person = await createPerson(t.database.db,
        { isFacilitator: true });
      const client = await t.client().signIn(person.id);

      const page = await client.get("/compte");

      expect(page.body).toContain(person.email);
      expect(page.body).toContain("maïeuticien·ne");
    });
});
