import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../test/app.ts";
import {
  createDocumentRow, createPerson, createSheetRow,
} from "../../test/factories.ts";
import { documents } from "../features/documents/tables.ts";

describe("hostile input, refused in French rather than failing", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("refuses a NUL in a query string, in JSON for the API", async () => {
    for (const filter of ["theme", "territory", "organisation", "language"]) {
      const response = await t.app.inject(
        { url: `/api/search?q=transition&${filter}=%00` });
      expect(response.statusCode, filter).toBe(400);
      expect(response.json(), filter).toEqual({ error: "invalid",
        message: `Le paramètre « ${filter} » contient un caractère nul, `
          + "qui n'est permis dans aucun champ." });
    }
    expect((await t.app.inject({ url: "/api/documents?language=%00" }))
      .statusCode).toBe(400);
  });

  it("refuses a NUL in a page's query string or address with a page",
    async () => {
      for (const url of ["/fonds?q=a%00b", "/fonds?theme=%00",
        "/fonds/vues/accompagnement?language=%00", "/fiches/a%00b"]) {
        const response = await t.client().get(url);
        expect(response.statusCode, url).toBe(400);
        expect(response.headers["content-type"], url).toContain("text/html");
        expect(response.body, url).toContain("contient un caractère nul");
      }
    });

  it("refuses a NUL in a form field, ordinary or multipart", async () => {
    const ally = await createPerson(t.database.db, { role: "ally" });
    const client = await t.client().signIn(ally.id);
    const sheet = await createSheetRow(t.database.db);

    await client.get("/fiches/nouvelle");
    const created = await client.post("/fiches", { title: "Fiche\u0000" });
    expect(created.statusCode).toBe(400);
    expect(created.body).toContain("Le paramètre « title » contient");
    const commented = await client.post(`/fiches/${sheet.slug}/commentaires`,
      { section: "context", body: "a\u0000b" });
    expect(commented.statusCode).toBe(400);

    await client.get("/fonds/deposer");
    const deposited = await client.upload("/fonds/deposer", {
      field: "file", filename: "note.txt", contentType: "text/plain",
      content: Buffer.from("Un texte.") },
    { title: "Titre\u0000", kind: "study", summary: "Résumé." });
    expect(deposited.statusCode).toBe(400);
    expect(deposited.body).toContain("Le paramètre « title » contient");
    const titles = (await t.database.db.select().from(documents))
      .map((d) => d.title);
    expect(titles.some((title) => title.startsWith("Titre"))).toBe(false);
  });

  it("still takes a file whose bytes hold NUL", async () => {
    const ally = await createPerson(t.database.db, { role: "ally" });
    const client = await t.client().signIn(ally.id);
    await client.get("/fonds/deposer");
    const response = await client.upload("/fonds/deposer", {
      field: "file", filename: "scan.pdf", contentType: "application/pdf",
      content: Buffer.from("%PDF-1.4\n\u0000\u0001 pas un vrai PDF") },
    { title: "Un PDF", kind: "study", summary: "Résumé." });
    expect(response.statusCode).toBe(303);
  });

  it("finds no saved view among what every object inherits", async () => {
    for (const name of ["__proto__", "constructor", "toString",
      "hasOwnProperty"]) {
      const response = await t.client().get(`/fonds/vues/${name}`);
      expect(response.statusCode, name).toBe(404);
    }
    expect((await t.client().get("/fonds/vues/accompagnement")).statusCode)
      .toBe(200);
  });

  it("answers a version number too large for the database", async () => {
    const sheet = await createSheetRow(t.database.db);
    const huge = "99999999999999999999";
    for (const query of [`de=1&a=${huge}`, `de=${huge}&a=1`,
      "de=1&a=2147483648", "de=0&a=1"]) {
      const response = await t.client().get(
        `/fiches/${sheet.slug}/versions?${query}`);
      expect(response.statusCode, query).toBe(404);
      expect(response.body, query).toContain("Cette version n'existe pas.");
    }

    const document = await createDocumentRow(t.database.db,
      { kind: "framework", body: "Un texte." });
    const proposer = await t.client().signIn(
      (await createPerson(t.database.db)).id);
    await proposer.get("/doctrine/propositions");
    const proposed = await proposer.post("/doctrine/propositions",
      { documentId: document.id, reason: "Parce que." });
    const doctrine = await proposer.get(
      `${proposed.headers.location}/versions?de=1&a=${huge}`);
    expect(doctrine.statusCode).toBe(400);
    expect(doctrine.body).toContain("Choisissez deux versions qui existent.");
  });
});
