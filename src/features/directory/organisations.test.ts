import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, createOrganisationRow, createPerson, visitor,
} from "../../../test/factories.ts";
import type { Ctx } from "../../domain/context.ts";
import { importOrganisationsCsv } from "./csv-import.ts";
import { getOrganisation } from "./organisation-queries.ts";
import { createOrganisation, updateOrganisation } from "./organisations.ts";
import { getPersonProfile, updateMyProfile } from "./people.ts";
import { findOrganisations } from "./search.ts";

describe("organisations in the directory", () => {
  let t: TestApp;
  let staff: Ctx;
  beforeAll(async () => {
    t = await createTestApp();
    staff = t.ctx(actorOf(await createPerson(t.database.db,
      { role: "staff" })));
  });
  afterAll(async () => { await t.close(); });

  it("creates an organisation whose scope covers its territories",
    async () => {
      const org = await createOrganisation(staff, {
        name: "Énergie Partagée", kind: "association",
        communeId: "commune-62528", territoryIds: ["epci-246200364"],
        themes: ["énergie", " énergie ", "climat"],
      });

      expect(org.slug).toBe("energie-partagee");
      expect(org.themes).toEqual(["énergie", "climat"]);
      expect(org.territoryScope).toEqual(expect.arrayContaining([
        "commune-62528", "epci-246200364", "departement-62", "region-32"]));
    });

  it("numbers the slug of a namesake in another town", async () => {
    const org = await createOrganisation(staff,
      { name: "Énergie Partagée", city: "Lyon" });

    expect(org.slug).toBe("energie-partagee-2");
  });

  it("refuses the same name in the same town", async () => {
    await expect(createOrganisation(staff,
      { name: "ENERGIE partagée", city: "lyon" }))
      .rejects.toMatchObject({ code: "invalid",
        fields: { name: expect.stringContaining("existe déjà") } });
  });

  it("refuses bad input with French messages per field", async () => {
    await expect(createOrganisation(staff, {
      name: " ", kind: "club", email: "pas-une-adresse",
      charterSignedOn: "2020-13-45", emailVisibility: "monde",
    })).rejects.toMatchObject({ code: "invalid", fields: {
      name: "Indiquez le nom de la structure.",
      kind: expect.any(String), email: expect.any(String),
      charterSignedOn: expect.any(String), emailVisibility: expect.any(String),
    } });
  });

  it("refuses creation by visitors and allies", async () => {
    const ally = actorOf(await createPerson(t.database.db));

    await expect(createOrganisation(t.ctx(visitor), { name: "X" }))
      .rejects.toMatchObject({ code: "forbidden" });
    await expect(createOrganisation(t.ctx(ally), { name: "X" }))
      .rejects.toMatchObject({ code: "forbidden" });
  });

  it("lets an ally edit an organisation they act for, not another",
    async () => {
      const person = await createPerson(t.database.db);
      const mine = await createOrganisationRow(t.database.db,
        { members: [{ personId: person.id }], staffNotes: "interne",
          charterSignatory: true });
      const other = await createOrganisationRow(t.database.db);
      const ally = t.ctx(actorOf(person));

      const saved = await updateOrganisation(ally, { id: mine.id,
        version: mine.version, name: "Nouveau nom", staffNotes: "",
        charterSignatory: false });

      expect(saved).toMatchObject({ name: "Nouveau nom", version: 2,
        staffNotes: "interne", charterSignatory: true });
      await expect(updateOrganisation(ally, { id: other.id,
        version: other.version, name: "Pris" }))
        .rejects.toMatchObject({ code: "forbidden" });
      await expect(updateOrganisation(t.ctx(visitor), { id: mine.id,
        version: 2, name: "Pris" })).rejects.toMatchObject(
        { code: "unauthenticated" });
    });

  it("refuses an edit made on a stale version", async () => {
    const org = await createOrganisationRow(t.database.db);
    await updateOrganisation(staff, { id: org.id, version: 1,
      name: "Première" });

    await expect(updateOrganisation(staff, { id: org.id, version: 1,
      name: "Seconde" })).rejects.toMatchObject({ code: "conflict",
      message: expect.stringContaining("Quelqu'un d'autre a modifié") });
  });

  it("updates the territory scope when territories change", async () => {
    const org = await createOrganisationRow(t.database.db,
      { territoryIds: ["departement-62"] });
    const saved = await updateOrganisation(staff, { id: org.id, version: 1,
      name: org.name, territoryIds: ["commune-59350"] });

    expect(saved.territoryScope).toContain("departement-59");
    expect(saved.territoryScope).not.toContain("departement-62");
  });
});

describe("contact visibility", () => {
  let t: TestApp;
  let slug: string;
  let personId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const person = await createPerson(db, { fullName: "Claire Membre" });
    personId = person.id;
    const org = await createOrganisationRow(db, {
      email: "public@o.fr", emailVisibility: "public",
      phone: "01 02", phoneVisibility: "allies",
      address: "1 rue Interne", addressVisibility: "staff",
      staffNotes: "note", members: [{ personId: person.id, role: "chargée" }],
    });
    slug = org.slug;
  });
  afterAll(async () => { await t.close(); });

  it("shows visitors public contacts only", async () => {
    const page = await getOrganisation(t.ctx(visitor), slug);

    expect(page.organisation).toMatchObject({ email: "public@o.fr",
      phone: null, address: null, staffNotes: null });
    expect(page.people[0]).toMatchObject({ fullName: "Claire Membre",
      role: "chargée", email: null });
    expect(page.canEdit).toBe(false);
  });

  it("shows allies what allies may see", async () => {
    const ally = actorOf(await createPerson(t.database.db));
    const page = await getOrganisation(t.ctx(ally), slug);

    expect(page.organisation).toMatchObject({ phone: "01 02",
      address: null, staffNotes: null });
    expect(page.people[0].email).toMatch(/@example\.org$/);
  });

  it("shows staff everything", async () => {
    const staff = actorOf(await createPerson(t.database.db,
      { role: "staff" }));
    const page = await getOrganisation(t.ctx(staff), slug);

    expect(page.organisation).toMatchObject({ phone: "01 02",
      address: "1 rue Interne", staffNotes: "note" });
    expect(page.canEdit).toBe(true);
  });

  it("lets a person edit their profile and role, not join by posting",
    async () => {
      const me = await createPerson(t.database.db);
      const other = await createOrganisationRow(t.database.db);
      const ctx = t.ctx(actorOf(me));
      const [{ organisationId }] = (await getPersonProfile(t.ctx(visitor),
        personId)).organisations;

      await updateMyProfile(ctx, { version: 1, fullName: "Moi",
        bio: "Bio", phone: "06", phoneVisibility: "public",
        roles: { [organisationId]: "présidente", [other.id]: "intruse" } });
      const profile = await getPersonProfile(t.ctx(visitor), me.id);

      expect(profile.person).toMatchObject({ fullName: "Moi", phone: "06",
        email: null });
      expect(profile.organisations).toEqual([]);
      await expect(updateMyProfile(ctx, { version: 1, fullName: "Vieux" }))
        .rejects.toMatchObject({ code: "conflict" });
      await expect(updateMyProfile(t.ctx(visitor), { version: 1,
        fullName: "X" })).rejects.toMatchObject({ code: "unauthenticated" });
    });
});

describe("searching the directory", () => {
  let t: TestApp;
  const names = async (filters: Parameters<typeof findOrganisations>[1]) =>
    (await findOrganisations(t.ctx(visitor), filters)).items
      .map((o) => o.name);
  beforeAll(async () => {
    t = await createTestApp();
    const staff = t.ctx(actorOf(await createPerson(t.database.db,
      { role: "staff" })));
    await importOrganisationsCsv(staff, fs.readFileSync("data/allies.csv"));
  });
  afterAll(async () => { await t.close(); });

  it("finds by town whatever the hyphens", async () => {
    const found = await names({ q: "loos en gohelle" });

    expect(found).toEqual(expect.arrayContaining(["Cerdd",
      "Commune de Loos-en-Gohelle"]));
    expect(found[0]).toBe("Commune de Loos-en-Gohelle");
  });

  it("ignores accents and case", async () => {
    expect(await names({ q: "energie" })).toContain("Virage Énergie");
    expect(await names({ q: "VIRAGE ÉNERGIE" })).toEqual(["Virage Énergie"]);
  });

  it("finds a name from its beginning", async () => {
    expect(await names({ q: "cerd" })).toContain("Cerdd");
  });

  it("forgives a small typo", async () => {
    expect(await names({ q: "futurible" })).toContain("Futuribles");
    expect(await names({ q: "Cereme" })).toContain("Cerema");
  });

  it("ranks name matches before other matches", async () => {
    const found = await names({ q: "territoire" });

    expect(found.slice(0, 2).sort()).toEqual([
      "Citoyens & Territoires Grand Est", "Territoires Audacieux"]);
    expect(found).toContain("CC du Frontonnais");
  });

  it("filters by département through the communes' scope", async () => {
    const found = await names({ territory: "departement-62" });

    expect(found.sort()).toEqual(["Cerdd", "Commune de Loos-en-Gohelle"]);
    expect(await names({ territory: "region-32" })).toEqual(
      expect.arrayContaining(["Cerdd", "Ville de Grande-Synthe"]));
  });

  it("filters by theme, kind and signatory", async () => {
    expect(await names({ theme: "prospective" })).toEqual(["Futuribles"]);
    expect(await names({ kind: "public_body" })).toEqual(
      ["ADEME", "Cerema", "INET"]);
    expect(await names({ kind: "public_body", signatory: false }))
      .toEqual(["ADEME", "Cerema"]);
  });

  it("pages through results with a total", async () => {
    const first = await findOrganisations(t.ctx(visitor), { perPage: 10 });
    const third = await findOrganisations(t.ctx(visitor),
      { perPage: 10, page: 3 });

    expect(first).toMatchObject({ total: 29, pageCount: 3 });
    expect(third.items).toHaveLength(9);
  });
});
