import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import { outbox } from "../../mail/tables.ts";
import type { Actor } from "../../domain/context.ts";
import {
  acceptInvitation, acceptJoinRequest, createAccount, invitePerson,
  refuseJoinRequest, requestToJoin,
} from "./join.ts";
import { people } from "./tables.ts";
import { issueToken } from "./tokens.ts";

const PASSWORD = "mon mot de passe à moi";

describe("joining the alliance", () => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof createPerson>>;
  let ally: Awaited<ReturnType<typeof createPerson>>;
  beforeAll(async () => {
    t = await createTestApp();
    staff = await createPerson(t.database.db, { role: "staff" });
    ally = await createPerson(t.database.db);
  });
  afterAll(async () => { await t.close(); });

  const personByEmail = async (email: string) => (await t.database.db
    .select().from(people).where(eq(people.email, email)))[0];
  const lastMailTo = async (email: string) => (await t.database.db.select()
    .from(outbox).where(eq(outbox.recipient, email))
    .orderBy(desc(outbox.createdAt)))[0];
  const requestFrom = async (email: string) => {
    await requestToJoin(t.ctx(visitor), { fullName: "Camille Martin", email,
      organisation: "Tiers-lieu du Val", message: "Bonjour", ip: "10.0.0.1" });

    return personByEmail(email);
  };

  it("records a request to join and tells staff", async () => {
    const client = t.client();
    const form = await client.get("/adhesion");

    const response = await client.post("/adhesion", {
      fullName: "Lou Bernard", email: "Lou@Example.org",
      organisation: "Commune de Trèves", message: "Nous aimerions…",
    });

    expect(form.body).toContain('autocomplete="organization"');
    expect(response.statusCode).toBe(303);
    const person = await personByEmail("lou@example.org");
    expect(person).toMatchObject({ accountStatus: "requested",
      joinOrganisation: "Commune de Trèves", joinMessage: "Nous aimerions…" });
    const mail = await lastMailTo(staff.email!);
    expect(mail.subject).toContain("Lou Bernard");
    expect(mail.text).toContain("/admin/adhesions");
  });

  it("politely refuses a second request for the same address", async () => {
    const client = t.client();
    await client.get("/adhesion");
    const fields = { fullName: "Lou Bernard", email: "LOU@example.org",
      organisation: "", message: "Encore moi" };

    const response = await client.post("/adhesion", fields);

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("existe déjà pour cette adresse");
    expect(response.body).toContain("Encore moi");
  });

  it("refuses a request without name or with a bad address", async () => {
    await expect(requestToJoin(t.ctx(visitor), { fullName: " ",
      email: "pas-une-adresse", organisation: "", message: "", ip: "x" }))
      .rejects.toMatchObject({ code: "invalid",
        fields: { fullName: expect.any(String), email: expect.any(String) } });
  });

  it("lets staff accept a request: the person gets an invitation",
    async () => {
      const person = await requestFrom("accepte@example.org");
      const client = await t.client().signIn(staff.id);
      const list = await client.get("/admin/adhesions");

      const response = await client.post(
        `/admin/adhesions/${person.id}/accepter`);

      expect(list.body).toContain("Tiers-lieu du Val");
      expect(response.statusCode).toBe(303);
      expect((await personByEmail("accepte@example.org")).accountStatus)
        .toBe("invited");
      const mail = await lastMailTo("accepte@example.org");
      expect(mail.text).toMatch(/http:\/\/atelier\.test\/invitation\/\S+/);
      expect(mail.text).toContain("7 jours");
      const again = await client.post(
        `/admin/adhesions/${person.id}/accepter`);
      expect(again.statusCode).toBe(409);
    });

  it("lets staff refuse a request, and tells the person", async () => {
    const person = await requestFrom("refuse@example.org");
    const client = await t.client().signIn(staff.id);
    await client.get("/admin/adhesions");

    await client.post(`/admin/adhesions/${person.id}/refuser`);

    expect((await personByEmail("refuse@example.org")).accountStatus)
      .toBe("refused");
    expect((await lastMailTo("refuse@example.org")).subject)
      .toContain("demande d'adhésion");
  });

  it("refuses accepting, refusing and inviting to anyone but staff",
    async () => {
      const person = await requestFrom("attend@example.org");
      const wrong: Actor[] = [visitor, actorOf(ally),
        actorOf({ ...ally, isFacilitator: true })];

      for (const actor of wrong) {
        const ctx = t.ctx(actor);
        const code = actor.kind === "visitor" ? "unauthenticated"
          : "forbidden";
        await expect(acceptJoinRequest(ctx, { personId: person.id }))
          .rejects.toMatchObject({ code });
        await expect(refuseJoinRequest(ctx, { personId: person.id }))
          .rejects.toMatchObject({ code });
        await expect(invitePerson(ctx, { fullName: "X",
          email: "x@example.org", role: "staff" }))
          .rejects.toMatchObject({ code });
        await expect(createAccount(ctx, { email: "y@example.org",
          role: "staff" })).rejects.toMatchObject({ code });
      }
      expect((await personByEmail("attend@example.org")).accountStatus)
        .toBe("requested");
      const client = await t.client().signIn(ally.id);
      expect((await client.get("/admin/adhesions")).statusCode).toBe(403);
      expect((await client.get("/admin")).statusCode).toBe(403);
    });

  it("invites by e-mail; the invited person chooses a password and is in",
    async () => {
      const admin = await t.client().signIn(staff.id);
      const form = await admin.get("/admin/invitations");
      const sent = await admin.post("/admin/invitations", {
        fullName: "Sacha Petit", email: "sacha@example.org", role: "staff" });
      const url = /\/invitation\/\S+/
        .exec((await lastMailTo("sacha@example.org")).text)![0];

      const invited = t.client();
      const page = await invited.get(url);
      const short = await invited.post(url,
        { password: "court", confirmation: "court" });
      const done = await invited.post(url,
        { password: PASSWORD, confirmation: PASSWORD });

      expect(form.statusCode).toBe(200);
      expect(sent.statusCode).toBe(303);
      expect(page.body).toContain("Sacha Petit");
      expect(short.statusCode).toBe(400);
      expect(done.headers.location).toBe("/compte");
      expect(await personByEmail("sacha@example.org"))
        .toMatchObject({ accountStatus: "active", role: "staff" });
      expect((await invited.get("/compte")).body).toContain("Sacha Petit");
      expect((await t.client().get(url)).statusCode).toBe(400);
    });

  it("refuses to invite an address that already has an account",
    async () => {
      const admin = await t.client().signIn(staff.id);
      await admin.get("/admin/invitations");

      const response = await admin.post("/admin/invitations", {
        fullName: "Doublon", email: ally.email!.toUpperCase(), role: "ally" });
      const badRole = await admin.post("/admin/invitations", {
        fullName: "Rôle", email: "role@example.org", role: "admin" });

      expect(response.statusCode).toBe(400);
      expect(response.body).toContain("Un compte existe déjà");
      expect(badRole.statusCode).toBe(400);
      expect(badRole.body).toContain("Rôle inconnu");
    });

  it("refuses an invitation after 7 days", async () => {
    const person = await createPerson(t.database.db,
      { accountStatus: "invited" });
    const issued = new Date("2026-03-01T10:00:00Z");
    const token = await issueToken(t.database.db, "invitation", person.id,
      issued);
    const ctx = { ...t.ctx(visitor),
      now: () => new Date(issued.getTime() + 8 * 86400_000) };

    await expect(acceptInvitation(ctx,
      { token, password: PASSWORD, confirmation: PASSWORD }))
      .rejects.toMatchObject({ code: "invalid" });
  });

  it("creates an active account for the command line, with a link",
    async () => {
      const ctx = t.ctx(actorOf(staff));

      const { person, url } = await createAccount(ctx,
        { email: "Operateur@Example.org", role: "ally" });

      expect(person).toMatchObject({ fullName: "operateur",
        email: "operateur@example.org", accountStatus: "active" });
      expect(url).toMatch(/^http:\/\/atelier\.test\/invitation\/\S+$/);
      await expect(createAccount(ctx,
        { email: "operateur@example.org", role: "ally" }))
        .rejects.toMatchObject({ code: "invalid",
          message: "Un compte existe déjà pour cette adresse." });
      await expect(createAccount(ctx,
        { email: "autre@example.org", role: "chef" }))
        .rejects.toMatchObject({ code: "invalid" });
      const token = url.split("/").pop()!;
      await expect(acceptInvitation(t.ctx(visitor),
        { token, password: PASSWORD, confirmation: PASSWORD }))
        .resolves.toMatchObject({ personId: person.id });
    });
});
