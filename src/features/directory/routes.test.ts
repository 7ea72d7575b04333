import fs from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  createOrganisationRow, createPerson,
} from "../../../test/factories.ts";
import { memberships, organisations } from "./tables.ts";

const base = {
  name: "", kind: "", description: "", themes: "", skills: "", website: "",
  address: "", postalCode: "", city: "", commune: "", territories: "",
  email: "", phone: "", emailVisibility: "allies", phoneVisibility: "allies",
  addressVisibility: "public",
};

describe("directory pages", () => {
  let t: TestApp;
  let staffId: string;
  let allyId: string;
  beforeAll(async () => {
    t = await createTestApp();
    staffId = (await createPerson(t.database.db, { role: "staff" })).id;
    allyId = (await createPerson(t.database.db,
      { fullName: "Alice Alliée" })).id;
  });
  afterAll(async () => { await t.close(); });

  const staff = () => t.client().signIn(staffId);
  const ally = () => t.client().signIn(allyId);

  it("creates an organisation from the form, choosing among homonyms",
    async () => {
      const client = await staff();
      await client.get("/annuaire/nouvelle");
      const first = await client.post("/annuaire/nouvelle", { ...base,
        name: "Les Forgerons", commune: "Forges",
        territories: "Pas-de-Calais (62)\nForges",
        description: "**Atelier** <script>x()</script>" });

      expect(first.statusCode).toBe(400);
      expect(first.body).toContain("Quelle commune ?");
      expect(first.body).toContain("Forges (77)");
      expect(first.body).toContain('value="Les Forgerons"');

      const second = await client.post("/annuaire/nouvelle", { ...base,
        name: "Les Forgerons", commune: "Forges",
        communeChoice: "commune-77194",
        territories: "Pas-de-Calais (62)\nForges",
        choice_1: "commune-17166", choiceFor_1: "Forges",
        description: "**Atelier** <script>x()</script>" });

      expect(second.statusCode).toBe(303);
      expect(second.headers.location).toBe("/annuaire/les-forgerons");
      const page = await client.get("/annuaire/les-forgerons");
      expect(page.body).toContain("<strong>Atelier</strong>");
      expect(page.body).not.toContain("<script>x()");
      expect(page.body).toContain("Forges (77)");
      expect(page.body).toContain("Forges (17)");
      expect(page.body).toContain("Pas-de-Calais (62)");
    });

  it("refuses the creation form to allies and sends visitors to sign in",
    async () => {
      const asAlly = await ally();
      await asAlly.get("/annuaire");

      expect((await asAlly.post("/annuaire/nouvelle",
        { ...base, name: "X" })).statusCode).toBe(403);
      expect((await t.client().get("/annuaire/nouvelle")).statusCode)
        .toBe(303);
      // A visitor's post is refused before reaching the use case (no
      // form, hence no CSRF token, is ever shown to them for it).
      expect((await t.client().post("/annuaire/nouvelle",
        { ...base, name: "X" })).statusCode).toBe(403);
    });

  it("keeps the user's input when a concurrent edit is refused",
    async () => {
      const org = await createOrganisationRow(t.database.db,
        { members: [{ personId: allyId }] });
      const asAlly = await ally();
      const form = await asAlly.get(`/annuaire/${org.slug}/modifier`);
      expect(form.statusCode).toBe(200);
      await t.database.db.update(organisations)
        .set({ version: 2, description: "par l'équipe" })
        .where(eq(organisations.id, org.id));

      const response = await asAlly.post(`/annuaire/${org.slug}/modifier`,
        { ...base, version: "1", name: org.name,
          description: "Ma présentation soignée" });

      expect(response.statusCode).toBe(409);
      expect(response.body).toContain("Quelqu'un d'autre a modifié");
      expect(response.body).toContain("Ma présentation soignée");
      expect(response.body).toContain('name="version" value="2"');
      const again = await asAlly.post(`/annuaire/${org.slug}/modifier`,
        { ...base, version: "2", name: org.name,
          description: "Ma présentation soignée" });
      expect(again.statusCode).toBe(303);
    });

  it("refuses the edit form to an ally of another organisation",
    async () => {
      const org = await createOrganisationRow(t.database.db);
      const asAlly = await ally();

      expect((await asAlly.get(`/annuaire/${org.slug}/modifier`)).statusCode)
        .toBe(403);
      expect((await t.client().get(`/annuaire/${org.slug}/modifier`))
        .headers.location).toMatch(/^\/connexion\?suite=/);
      expect((await asAlly.post(`/annuaire/${org.slug}/modifier`,
        { ...base, version: "1", name: "Pris" })).statusCode).toBe(403);
    });

  it("lets staff link and unlink people; allies may not", async () => {
    const org = await createOrganisationRow(t.database.db);
    const person = await createPerson(t.database.db,
      { email: "lien@example.org" });
    const asAlly = await ally();
    await asAlly.get("/annuaire");

    expect((await asAlly.post(`/annuaire/${org.slug}/membres`,
      { memberEmail: "lien@example.org" })).statusCode).toBe(403);
    const client = await staff();
    await client.get(`/annuaire/${org.slug}/modifier`);
    const unknown = await client.post(`/annuaire/${org.slug}/membres`,
      { memberEmail: "personne@nulle.part" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain("Aucune personne n'a cette adresse.");
    expect((await client.post(`/annuaire/${org.slug}/membres`,
      { memberEmail: "LIEN@example.org", memberRole: "trésorière" }))
      .statusCode).toBe(303);
    expect((await client.get(`/annuaire/${org.slug}`)).body)
      .toContain("trésorière");
    expect((await client.post(
      `/annuaire/${org.slug}/membres/${person.id}/retirer`)).statusCode)
      .toBe(303);
    expect(await t.database.db.select().from(memberships)
      .where(eq(memberships.personId, person.id))).toEqual([]);
  });

  it("shows contacts on profile pages per viewer", async () => {
    const person = await createPerson(t.database.db,
      { fullName: "Bruno Contact", email: "bruno@example.org" });
    await createOrganisationRow(t.database.db, { name: "Vue Contacts",
      slug: "vue-contacts", phone: "03 21 00 00 00",
      phoneVisibility: "allies", members: [{ personId: person.id }] });

    const asVisitor = await t.client().get("/annuaire/vue-contacts");
    const asAlly = await (await ally()).get("/annuaire/vue-contacts");
    const personPage = await t.client().get(`/personnes/${person.id}`);

    expect(asVisitor.body).not.toContain("03 21 00 00 00");
    expect(asVisitor.body).not.toContain("bruno@example.org");
    expect(asAlly.body).toContain("03 21 00 00 00");
    expect(asAlly.body).toContain("bruno@example.org");
    expect(personPage.body).toContain("Bruno Contact");
    expect(personPage.body).toContain("Vue Contacts");
    expect(personPage.body).not.toContain("bruno@example.org");
  });

  it("edits my profile and my role", async () => {
    const me = await createPerson(t.database.db);
    const org = await createOrganisationRow(t.database.db,
      { members: [{ personId: me.id, role: "bénévole" }] });
    const client = await t.client().signIn(me.id);
    const form = await client.get("/compte/profil");
    expect(form.body).toContain('value="bénévole"');

    const bad = await client.post("/compte/profil", { version: "1",
      fullName: "", bio: "Ma bio", [`role_${org.id}`]: "présidente" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Ma bio");
    const ok = await client.post("/compte/profil", { version: "1",
      fullName: "Nouveau Nom", bio: "Ma bio", phone: "06 00",
      phoneVisibility: "public", emailVisibility: "staff",
      [`role_${org.id}`]: "présidente" });
    expect(ok.statusCode).toBe(303);
    const page = await t.client().get(`/personnes/${me.id}`);
    expect(page.body).toContain("Nouveau Nom");
    expect(page.body).toContain("06 00");
    expect(page.body).toContain("présidente");
    expect((await t.client().get("/compte/profil")).statusCode).toBe(303);
  });

  it("imports a spreadsheet after a preview", async () => {
    const client = await staff();
    await client.get("/admin/annuaire/import");
    const preview = await client.upload("/admin/annuaire/import", {
      field: "fichier", filename: "allies.csv",
      content: fs.readFileSync("data/allies.csv") });

    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("Aperçu de l'import");
    expect(preview.body).toContain("fusionnée avec ligne 2");
    expect(await t.database.db.select().from(organisations)
      .where(eq(organisations.nameKey, "cerdd"))).toEqual([]);
    const content = /name="content" value="([^"]+)"/.exec(preview.body)![1];

    const done = await client.post("/admin/annuaire/import/confirmer",
      { content });

    expect(done.statusCode).toBe(200);
    expect(done.body).toContain("Rapport d'import");
    expect(await t.database.db.select().from(organisations)
      .where(eq(organisations.nameKey, "cerdd"))).toHaveLength(1);
  });

  it("refuses the import to allies", async () => {
    const client = await ally();
    await client.get("/annuaire");

    expect((await client.get("/admin/annuaire/import")).statusCode).toBe(403);
    expect((await client.upload("/admin/annuaire/import", {
      field: "fichier", filename: "a.csv",
      content: Buffer.from("Nom\nX\n") })).statusCode).toBe(403);
    expect((await client.post("/admin/annuaire/import/confirmer",
      { content: Buffer.from("Nom\nX\n").toString("base64") })).statusCode)
      .toBe(403);
  });

  it("searches with shareable GET filters and pages", async () => {
    const page = await t.client().get(
      "/annuaire?q=loos+en+gohelle&territoire=departement-62");

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Commune de Loos-en-Gohelle");
    expect(page.body).toContain("Cerdd");
    expect(page.body).not.toContain("Virage Énergie");
    expect(page.body).toContain('value="Pas-de-Calais (62)"');
    const ambiguous = await t.client().get("/annuaire?territoire=Forges");
    expect(ambiguous.body).toContain("Plusieurs territoires correspondent");
    expect(ambiguous.body).toContain("territoire=commune-77194");
  });

  it("filters by an exact code, and by nothing when the territory is "
    + "unknown", async () => {
    for (const code of ["62", "62528", "commune-62528", "R32",
      "Hauts-de-France", "246200364"]) {
      const page = await t.client().get(
        `/annuaire?territoire=${encodeURIComponent(code)}`);

      expect(page.body, code).toContain("Commune de Loos-en-Gohelle");
      expect(page.body, code).not.toContain("Plusieurs territoires");
      if (/^\d/.test(code)) {
        expect(page.body, code).not.toContain("Virage Énergie");
      }
    }
    const unknown = await t.client().get("/annuaire?territoire=xyz");

    expect(unknown.body).toContain(
      "Aucun territoire ne correspond à « xyz ».");
    expect(unknown.body).toContain("Aucune structure ne correspond.");
    expect(unknown.body).not.toContain("Commune de Loos-en-Gohelle");
  });

  it("filters the API by code, and by nothing when unknown", async () => {
    const byCode = (await t.client().get(
      "/api/organisations?territory=62528")).json();
    const unknown = (await t.client().get(
      "/api/organisations?territory=xyz")).json();

    expect(byCode.items.map((o: any) => o.name))
      .toContain("Commune de Loos-en-Gohelle");
    expect(byCode.items.map((o: any) => o.name))
      .not.toContain("Virage Énergie");
    expect(unknown).toMatchObject({ items: [], total: 0 });
    expect((await t.client().get("/api/organisations?territory=Forges"))
      .statusCode).toBe(400);
  });

  it("takes an exact code in the organisation form", async () => {
    const client = await staff();
    await client.get("/annuaire/nouvelle");
    const response = await client.post("/annuaire/nouvelle", { ...base,
      name: "Les Codeurs", commune: "62528", territories: "62\nR32" });

    expect(response.statusCode).toBe(303);
    const [org] = await t.database.db.select().from(organisations)
      .where(eq(organisations.name, "Les Codeurs"));
    expect(org.communeId).toBe("commune-62528");
    expect(org.territoryScope).toEqual(expect.arrayContaining(
      ["departement-62", "region-32"]));
  });

  it("says on the import page what is wrong with a file", async () => {
    const client = await staff();
    await client.get("/admin/annuaire/import");
    const upload = (content: Buffer) => client.upload(
      "/admin/annuaire/import", { field: "fichier", filename: "a.csv",
        content });
    const cases: [Buffer, string][] = [
      [Buffer.from(""), "Le fichier est vide."],
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0,
        0, 0x0d, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]),
      "pas un tableur CSV lisible."],
      [Buffer.from("Ville;Code postal\nLille;59000\n"),
        "pas de colonne « Nom »"],
      [Buffer.from("Nom|Ville\nA|Lille\n"), "Le séparateur « | »"],
      [Buffer.concat([Buffer.from([0xff, 0xfe]),
        Buffer.from("Nom;Ville\nA;Lille\n", "utf16le")]),
      "Le fichier est en UTF-16"],
    ];
    for (const [content, message] of cases) {
      const page = await upload(content);

      expect(page.statusCode, message).toBe(400);
      expect(page.body, message).toContain(message);
      expect(page.body, message).toContain('name="fichier"');
      expect(page.body, message).not.toContain("Retour à l");
    }
  });

  it("exports CSV with a download name", async () => {
    const response = await t.client().get("/annuaire/export.csv");

    expect(response.headers["content-type"]).toContain("text/csv");
    expect(response.headers["content-disposition"])
      .toContain('filename="annuaire.csv"');
    expect(response.rawPayload.subarray(0, 3))
      .toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("answers the API with public fields to visitors", async () => {
    await createOrganisationRow(t.database.db, { name: "API Publique",
      email: "cache@api.fr", emailVisibility: "allies",
      staffNotes: "secret" });
    const response = await t.client().get("/api/organisations?q=api+publique");
    const [item] = response.json().items;

    expect(item).toMatchObject({ name: "API Publique", email: null });
    expect(item.staffNotes).toBeUndefined();
    const spec = (await t.client().get("/api/openapi.json")).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(
      ["/api/organisations", "/api/territories"]));
  });
});
