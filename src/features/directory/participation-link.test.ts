import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { createOrganisationRow, createPerson } from "../../../test/factories.ts";

describe("links to participation history on profiles", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("shows a person's history link to themselves and staff only", async () => {
    const ally = await createPerson(t.database.db);
    const other = await createPerson(t.database.db);
    const staff = await createPerson(t.database.db, { role: "staff" });
    const link = `/agenda/participations/personnes/${ally.id}`;

    const own = await (await t.client().signIn(ally.id)).get(`/personnes/${ally.id}`);
    const byStaff = await (await t.client().signIn(staff.id))
      .get(`/personnes/${ally.id}`);
    const byOther = await (await t.client().signIn(other.id))
      .get(`/personnes/${ally.id}`);

    expect(own.body).toContain(link);
    expect(byStaff.body).toContain(link);
    expect(byOther.body).not.toContain(link);
  });

  it("shows an organisation's history link to its members, not to visitors", async () => {
    const member = await createPerson(t.database.db);
    const org = await createOrganisationRow(t.database.db,
      { members: [{ personId: member.id }] });
    const link = `/agenda/participations/structures/${org.id}`;

    const byMember = await (await t.client().signIn(member.id))
      .get(`/annuaire/${org.slug}`);
    const byVisitor = await t.client().get(`/annuaire/${org.slug}`);

    expect(byMember.body).toContain(link);
    expect(byVisitor.body).not.toContain(link);
  });
});
