import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import type { Actor } from "../../domain/context.ts";
import { ADMIN_LINKS } from "../../web/admin-links.ts";
import {
  findAccounts, getPerson, setAccountDisabled, updateAccountRole,
} from "./people.ts";
import { people } from "./tables.ts";

describe("managing accounts", () => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof createPerson>>;
  beforeAll(async () => {
    t = await createTestApp();
    staff = await createPerson(t.database.db, { role: "staff" });
  });
  afterAll(async () => { await t.close(); });

  const reload = async (id: string) => (await t.database.db.select()
    .from(people).where(eq(people.id, id)))[0];

  it("lists accounts for staff, filtered by status", async () => {
    const disabled = await createPerson(t.database.db,
      { accountStatus: "disabled" });
    const client = await t.client().signIn(staff.id);

    const all = await client.get("/admin/personnes");
    const filtered = await client.get("/admin/personnes?statut=disabled");
    const index = await client.get("/admin");

    const row = (id: string) => `/admin/personnes/${id}"`;
    expect(all.body).toContain(row(staff.id));
    expect(filtered.body).toContain(row(disabled.id));
    expect(filtered.body).not.toContain(row(staff.id));
    for (const link of ADMIN_LINKS) expect(index.body).toContain(link.href);
  });

  it("changes a role and the facilitator flag", async () => {
    const ally = await createPerson(t.database.db);
    const client = await t.client().signIn(staff.id);
    await client.get(`/admin/personnes/${ally.id}`);

    await client.post(`/admin/personnes/${ally.id}`,
      { role: "ally", isFacilitator: "1" });
    expect(await reload(ally.id))
      .toMatchObject({ role: "ally", isFacilitator: true });

    await client.post(`/admin/personnes/${ally.id}`, { role: "staff" });
    expect(await reload(ally.id))
      .toMatchObject({ role: "staff", isFacilitator: false });
  });

  it("disables an account: its sessions stop at once; re-enables it",
    async () => {
      const ally = await createPerson(t.database.db);
      const allyClient = await t.client().signIn(ally.id);
      const client = await t.client().signIn(staff.id);
      await client.get(`/admin/personnes/${ally.id}`);

      await client.post(`/admin/personnes/${ally.id}/desactiver`);

      expect((await reload(ally.id)).accountStatus).toBe("disabled");
      expect((await allyClient.get("/compte")).statusCode).toBe(303);
      await client.post(`/admin/personnes/${ally.id}/reactiver`);
      expect((await reload(ally.id)).accountStatus).toBe("active");
    });

  it("keeps staff from removing their own staff role or disabling "
    + "themselves", async () => {
    const client = await t.client().signIn(staff.id);
    await client.get(`/admin/personnes/${staff.id}`);

    const demote = await client.post(`/admin/personnes/${staff.id}`,
      { role: "ally" });
    const disable = await client.post(
      `/admin/personnes/${staff.id}/desactiver`);

    expect(demote.statusCode).toBe(400);
    expect(demote.body).toContain("votre propre rôle");
    expect(disable.statusCode).toBe(403);
    expect(await reload(staff.id))
      .toMatchObject({ role: "staff", accountStatus: "active" });
    // Staff may still mark themselves as facilitator.
    await updateAccountRole(t.ctx(actorOf(staff)),
      { personId: staff.id, role: "staff", isFacilitator: true });
    expect((await reload(staff.id)).isFacilitator).toBe(true);
  });

  it("never lets two staff members disable each other to nobody",
    async () => {
      const solo = await createTestApp();
      try {
        const a = await createPerson(solo.database.db, { role: "staff" });
        const b = await createPerson(solo.database.db, { role: "staff" });

        const results = await Promise.allSettled([
          setAccountDisabled(solo.ctx(actorOf(a)),
            { personId: b.id, disabled: true }),
          setAccountDisabled(solo.ctx(actorOf(b)),
            { personId: a.id, disabled: true }),
        ]);

        expect(results.filter((r) => r.status === "fulfilled"))
          .toHaveLength(1);
        const active = await solo.database.db.select().from(people)
          .where(eq(people.accountStatus, "active"));
        expect(active).toHaveLength(1);
      } finally {
        await solo.close();
      }
    });

  it("refuses every account change to visitors and allies", async () => {
    const target = await createPerson(t.database.db);
    const wrong: Actor[] = [visitor, actorOf(target),
      actorOf(await createPerson(t.database.db, { isFacilitator: true }))];

    for (const actor of wrong) {
      const ctx = t.ctx(actor);
      const code = actor.kind === "visitor" ? "unauthenticated" : "forbidden";
      await expect(updateAccountRole(ctx, { personId: target.id,
        role: "staff", isFacilitator: true })).rejects.toMatchObject({ code });
      await expect(setAccountDisabled(ctx, { personId: target.id,
        disabled: true })).rejects.toMatchObject({ code });
      await expect(findAccounts(ctx)).rejects.toMatchObject({ code });
    }
    expect(await reload(target.id)).toMatchObject({ role: "ally",
      accountStatus: "active", isFacilitator: false });
    const allyClient = await t.client().signIn(target.id);
    expect((await allyClient.get("/admin/personnes")).statusCode).toBe(403);
  });

  it("gives other features a person without their secrets", async () => {
    const person = await createPerson(t.database.db, { password: "secret!!!!" });

    const found = await getPerson(t.ctx(visitor), person.id);

    expect(found.fullName).toBe(person.fullName);
    expect(found).not.toHaveProperty("passwordHash");
    expect(found).not.toHaveProperty("calendarToken");
    await expect(getPerson(t.ctx(visitor), "pas-un-id"))
      .rejects.toMatchObject({ code: "not_found" });
    await expect(getPerson(t.ctx(visitor),
      "00000000-0000-0000-0000-000000000001"))
      .rejects.toMatchObject({ code: "not_found" });
  });
});
