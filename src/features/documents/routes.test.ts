import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  createDocumentRow, createPerson, createSheetRow,
} from "../../../test/factories.ts";
import { documents } from "./tables.ts";

describe("document base pages, files, API and feed", () => {
  let t: TestApp;
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), "atelier-up-"));

  beforeAll(async () => {
    t = await createTestApp({ uploadsDir });
    await createDocumentRow(t.database.db, { title: "Énergie des territoires",
      slug: "energie-des-territoires", kind: "finding", year: 2021,
      summary: "Un constat sur la sobriété.",
      body: "Les territoires pionniers.\n\nLa coopération <em>locale</em>." });
    await createSheetRow(t.database.db, { title: "Coopérer à Malaunay",
      slug: "cooperer-a-malaunay", summary: "Une expérience d'énergie." });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(uploadsDir, { recursive: true, force: true });
  });

  it("searches with facets as links and marked excerpts", async () => {
    const page = await t.client().get("/fonds?q=energie");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<mark>Énergie</mark> des territoires");
    expect(page.body).toContain('href="/fonds/documents/energie-des-'
      + 'territoires?q=energie"');
    expect(page.body).toContain('href="/fiches/cooperer-a-malaunay"');
    expect(page.body).toMatch(/constat<\/a> <span class="muted">\(1\)/);
    const filtered = await t.client().get("/fonds?q=energie&kind=finding");
    expect(filtered.body).not.toContain("Malaunay");
  });

  it("answers odd queries calmly", async () => {
    for (const q of ["", "de la", "?!;", "x".repeat(2000), '"énergie',
      "énergie".repeat(600)]) {
      const page = await t.client().get(`/fonds?q=${encodeURIComponent(q)}`);
      expect(page.statusCode, q.slice(0, 20)).toBe(200);
      const api = await t.client().get(`/api/search?q=${
        encodeURIComponent(q)}`);
      expect(api.statusCode, q.slice(0, 20)).toBe(200);
    }
    expect((await t.client().get("/fonds?page=abc&year=x")).statusCode)
      .toBe(200);
  });

  it("opens a document with the searched words marked in its text",
    async () => {
      const page = await t.client()
        .get("/fonds/documents/energie-des-territoires?q=cooperer");
      expect(page.body).toContain("<mark>coopération</mark>");
      expect(page.body).toContain("&lt;em>locale&lt;/em>");
    });

  it("opens the saved view of accompaniment", async () => {
    const page = await t.client().get("/fonds/vues/accompagnement");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Coopérer à Malaunay");
    expect(page.body).not.toContain("Énergie des territoires</a>");
    expect((await t.client().get("/fonds/vues/inconnue")).statusCode)
      .toBe(404);
  });

  it("asks a visitor to sign in before depositing", async () => {
    const page = await t.client().get("/fonds/deposer");
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toContain("/connexion");
    const client = t.client();
    await client.get("/connexion");
    const post = await client.upload("/fonds/deposer", { field: "file",
      filename: "a.txt", content: Buffer.from("Texte") }, { title: "X",
      kind: "study" });
    expect(post.statusCode).toBe(401);
  });

  it("takes an upload, serves it as an attachment, never as HTML",
    async () => {
      const ally = await createPerson(t.database.db);
      const staff = await createPerson(t.database.db, { role: "staff" });
      const client = await t.client().signIn(ally.id);
      await client.get("/fonds/deposer");
      const html = "<html><body><script>alert(1)</script><p>Les communs "
        + "du territoire</p></body></html>";
      const post = await client.upload("/fonds/deposer", { field: "file",
        filename: "page.html", content: Buffer.from(html),
        contentType: "text/html" }, { title: "Page des communs",
        kind: "study", language: "fr", territories: "Loos-en-Gohelle" });
      expect(post.statusCode).toBe(303);
      const [doc] = await t.database.db.select().from(documents)
        .where(eq(documents.title, "Page des communs"));
      expect(doc.body).toBe("Les communs du territoire");
      expect(doc.territoryScope).toContain("region-32");

      const file = await client.get(`/fonds/documents/${doc.slug}/fichier`);
      expect(file.statusCode).toBe(200);
      expect(file.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(file.headers["content-disposition"]).toMatch(/^attachment;/);
      expect(file.headers["x-content-type-options"]).toBe("nosniff");
      expect(file.headers["content-security-policy"]).toContain("sandbox");
      expect(file.body).toBe(html);

      const admin = await t.client().signIn(staff.id);
      const queue = await admin.get("/admin/fonds");
      expect(queue.body).toContain("Page des communs");
      expect((await client.post(`/admin/fonds/${doc.id}/publier`)).statusCode)
        .toBe(403);
      const published = await admin.post(`/admin/fonds/${doc.id}/publier`);
      expect(published.statusCode).toBe(303);
      expect((await t.client().get(`/fonds/documents/${doc.slug}/fichier`))
        .statusCode).toBe(200);

      // Staff find the withdrawal form on the page; nobody else may use it.
      const page = await admin.get(`/fonds/documents/${doc.slug}`);
      expect(page.body).toContain(`/admin/fonds/${doc.id}/retirer`);
      expect((await client.get(`/fonds/documents/${doc.slug}`)).body)
        .not.toContain("/retirer");
      expect((await client.post(`/admin/fonds/${doc.id}/retirer`,
        { note: "Non." })).statusCode).toBe(403);
      // A field sent twice is read once, never a crash.
      expect((await admin.post(`/admin/fonds/${doc.id}/retirer`,
        { note: ["", "Deux fois."] })).statusCode).toBe(400);
      const withdrawn = await admin.post(`/admin/fonds/${doc.id}/retirer`,
        { note: "Remplacé." });
      expect(withdrawn.statusCode).toBe(303);
      expect((await t.client().get(`/fonds/documents/${doc.slug}/fichier`))
        .statusCode).toBe(404);
      expect((await client.get(`/fonds/documents/${doc.slug}`)).body)
        .toContain("retiré du fonds documentaire");
    });

  it("sends the deposit form back with the input and French errors",
    async () => {
      const ally = await createPerson(t.database.db);
      const client = await t.client().signIn(ally.id);
      await client.get("/fonds/deposer");
      const post = await client.upload("/fonds/deposer", { field: "file",
        filename: "faux.pdf", content: Buffer.from("MZ\u0000\u0000") },
      { title: "Mon étude", kind: "study", summary: "Résumé gardé" });
      expect(post.statusCode).toBe(400);
      expect(post.body).toContain("ne correspond pas à son extension");
      expect(post.body).toContain('value="Mon étude"');
      expect(post.body).toContain("Résumé gardé");
    });

  it("lists documents and answers searches in the JSON API", async () => {
    const list = await t.client().get("/api/documents");
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((d: any) => d.slug))
      .toContain("energie-des-territoires");
    const one = await t.client().get("/api/documents/energie-des-territoires");
    expect(one.json()).toMatchObject({ kind: "finding", year: 2021 });
    expect((await t.client().get("/api/documents/inconnu")).statusCode)
      .toBe(404);
    const search = await t.client().get("/api/search?q=%C3%A9nergie");
    const body = search.json();
    expect(body.total).toBe(2);
    expect(body.hits[0]).toMatchObject({ source: "document",
      kind: "finding", titleHtml: "<mark>Énergie</mark> des territoires" });
    expect(body.facets.kind).toEqual(expect.arrayContaining([
      { value: "experience_sheet", label: "fiche d'expérience", count: 1 }]));
    const openapi = (await t.client().get("/api/openapi.json")).json();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining([
      "/api/search", "/api/documents", "/api/documents/{slug}"]));
  });

  it("publishes a feed of new documents and sheets", async () => {
    const feed = await t.client().get("/fonds/flux.xml");
    expect(feed.headers["content-type"]).toContain("rss");
    expect(feed.body).toContain("Énergie des territoires");
    expect(feed.body).toContain("/fiches/cooperer-a-malaunay");
  });

  it("says an empty file is empty", async () => {
    const client = await t.client().signIn(
      (await createPerson(t.database.db)).id);
    await client.get("/fonds/deposer");
    const post = await client.upload("/fonds/deposer", { field: "file",
      filename: "vide.pdf", content: Buffer.alloc(0),
      contentType: "application/pdf" }, { title: "Vide", kind: "study" });
    expect(post.statusCode).toBe(400);
    expect(post.body).toContain("Le fichier est vide.");
    expect(post.body).not.toContain("Joignez un fichier");
  });

  it("pages API searches as asked, and refuses an unknown kind", async () => {
    for (let n = 0; n < 3; n += 1) {
      await createDocumentRow(t.database.db, { title: `Énergie ${n}` });
    }
    const two = await t.client().get("/api/search?q=energie&perPage=2");
    expect(two.statusCode).toBe(200);
    expect(two.json()).toMatchObject({ perPage: 2, page: 1 });
    expect(two.json().hits).toHaveLength(2);
    expect(two.json().pageCount).toBeGreaterThan(1);
    for (const perPage of ["0", "101", "beaucoup"]) {
      expect((await t.client().get(`/api/search?perPage=${perPage}`))
        .statusCode, perPage).toBe(400);
    }

    const nope = await t.client().get("/api/search?q=energie&kind=nope");
    expect(nope.statusCode).toBe(400);
    expect(nope.json()).toEqual({ error: "invalid",
      message: "Le paramètre « kind » n'est pas une valeur permise." });
    expect((await t.client().get("/api/search?kind=experience_sheet"))
      .statusCode).toBe(200);
    const page = await t.client().get("/fonds?q=energie&kind=nope");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<mark>Énergie</mark> des territoires");

    const openapi = (await t.client().get("/api/openapi.json")).json();
    const parameters = openapi.paths["/api/search"].get.parameters
      .map((p: any) => p.name);
    expect(parameters).toEqual(expect.arrayContaining(["kind", "perPage"]));
  });

  it("offers a file under a name that says what it is, nothing hidden",
    async () => {
      const client = await t.client().signIn(
        (await createPerson(t.database.db)).id);
      await client.get("/fonds/deposer");
      const post = await client.upload("/fonds/deposer", { field: "file",
        filename: "c\u202etxt.html", content: Buffer.from("<p>Texte</p>"),
        contentType: "text/html" }, { title: "Nom caché", kind: "study" });
      expect(post.statusCode).toBe(303);
      const page = await client.get(post.headers.location as string);
      expect(page.body).toContain("Télécharger ctxt.html.txt</a>");
      expect(page.body).not.toContain("\u202e");
      const [doc] = await t.database.db.select().from(documents)
        .where(eq(documents.title, "Nom caché"));
      const file = await client.get(`/fonds/documents/${doc.slug}/fichier`);
      expect(file.headers["content-disposition"]).toBe(
        "attachment; filename=\"ctxt.html.txt\"; "
          + "filename*=UTF-8''ctxt.html.txt");
    });
});

