import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { parisParts } from "../../domain/time.ts";
import { sendBackSheet, submitSheet } from "./review.ts";
import { sheetAt, sheetScene, type SheetScene } from "./test-fixtures.ts";

describe("sheet pages and API", () => {
  let t: TestApp;
  let s: SheetScene;
  let published: { slug: string; title: string };
  let draft: { slug: string };
  beforeAll(async () => {
    t = await createTestApp();
    s = await sheetScene(t);
    published = await sheetAt(s, "published", { title: "Fiche publiée" });
    draft = await sheetAt(s, "draft", { title: "Fiche en brouillon" });
  });
  afterAll(async () => { await t?.close(); });

  it("lists published sheets to visitors, and drafts to their writers",
    async () => {
      const visitorPage = await t.client().get("/fiches");
      expect(visitorPage.body).toContain("Fiche publiée");
      expect(visitorPage.body).not.toContain("Fiche en brouillon");
      const mine = await (await t.client().signIn(s.facilitator.id))
        .get("/fiches");
      expect(mine.body).toContain("Fiche en brouillon");
      expect((await t.client().get(`/fiches/${draft.slug}`)).statusCode)
        .toBe(404);
    });

  it("shows the citation line and a print view", async () => {
    const page = await t.client().get(`/fiches/${published.slug}`);
    const { year } = parisParts(new Date());
    expect(page.body).toContain(`Fiche publiée ». Fiche d'expérience, `
      + `Atelier, ${year}. http://atelier.test/fiches/${published.slug}`);
    const print = await t.client().get(`/fiches/${published.slug}/imprimer`);
    expect(print.statusCode).toBe(200);
    expect(print.body).not.toContain("<form method=\"post\" action=\"/fiches");
  });

  it("refuses the edit form and the review steps to the wrong people",
    async () => {
      const other = await t.client().signIn(s.other.id);
      expect((await other.get(`/fiches/${draft.slug}/modifier`)).statusCode)
        .toBe(404);
      const author = await t.client().signIn(s.author.id);
      await author.get(`/fiches/${draft.slug}`);
      expect((await author.post(`/fiches/${draft.slug}/publier`)).statusCode)
        .toBe(403);
      expect((await author.post(`/fiches/${draft.slug}/soumettre`))
        .statusCode).toBe(403);
      expect((await other.get("/admin/fiches")).statusCode).toBe(403);
      expect((await other.get("/admin/formations")).statusCode).toBe(403);
      expect((await t.client().get("/maieuticiens")).statusCode).toBe(303);
    });

  it("shows the people read-only to a co-author, and refuses their "
    + "change", async () => {
    const sheet = await sheetAt(s, "draft", { title: "Fiche à plusieurs" });
    const coauthor = await t.client().signIn(s.coauthor.id);
    const form = await coauthor.get(`/fiches/${sheet.slug}/modifier`);
    expect(form.body).toMatch(/<textarea[^>]*name="coauthors"[^>]*readonly/);
    expect(form.body).toMatch(/<select[^>]*disabled/);
    expect(form.body).toContain(
      `<input type="hidden" name="facilitatorId" value="${s.facilitator.id}"`);

    const response = await coauthor.post(`/fiches/${sheet.slug}/modifier`, {
      version: String(sheet.version), title: "Fiche à plusieurs",
      coauthors: s.other.email!, facilitatorId: s.facilitator.id });
    expect(response.statusCode).toBe(403);
    const facilitator = await t.client().signIn(s.facilitator.id);
    const own = await facilitator.get(`/fiches/${sheet.slug}/modifier`);
    expect(own.body).not.toMatch(/name="coauthors"[^>]*readonly/);
    expect(own.body).toMatch(/<select[^>]*disabled/);
  });

  it("re-renders the edit form with the input and messages", async () => {
    const author = await t.client().signIn(s.author.id);
    await author.get(`/fiches/${draft.slug}/modifier`);
    const response = await author.post(`/fiches/${draft.slug}/modifier`, {
      version: "1", title: "Titre gardé", trajectory: "pas de date" });

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Titre gardé");
    expect(response.body).toContain("Chaque étape commence par une date");
  });

  it("refuses impossible dates in the trajectory, naming the line, and "
    + "keeps the input", async () => {
    const author = await t.client().signIn(s.author.id);
    await author.get(`/fiches/${draft.slug}/modifier`);
    const cases: [string, string][] = [
      ["9999-99 : un mois qui n'existe pas",
        "La date 9999-99 n'existe pas ; à revoir, ligne 1 : « 9999-99 : un "
        + "mois qui n'existe pas »."],
      ["2020-02-29 : un jour bissextile\n2021-02-31 : un 31 février",
        "La date 2021-02-31 n'existe pas ; à revoir, ligne 2 : « 2021-02-31 "
        + ": un 31 février »."]];
    for (const [trajectory, message] of cases) {
      const response = await author.post(`/fiches/${draft.slug}/modifier`, {
        version: "1", title: "Titre gardé", trajectory });

      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(message);
      expect(response.body).toContain(trajectory);
    }
  });

  it("shows a withdrawn sheet as withdrawn, not as published", async () => {
    const sheet = await sheetAt(s, "published", { title: "Fiche retirée" });
    await sendBackSheet(s.as(s.staff), { sheetId: sheet.id,
      remarks: "À revoir." });
    const author = await t.client().signIn(s.author.id);
    const staff = await t.client().signIn(s.staff.id);
    // In a list, the item of this sheet only.
    const item = (body: string) => new RegExp(`<li><h3><a href="/fiches/${
      sheet.slug}">.*?</li>`).exec(body)?.[0] ?? "";
    const shown = [(await author.get(`/fiches/${sheet.slug}`)).body,
      item((await author.get("/fiches")).body),
      item((await staff.get("/admin/fiches")).body)];
    for (const text of shown) {
      expect(text).toContain("Retirée pour révision");
      expect(text).not.toMatch(/publiée le/i);
    }

    await submitSheet(s.as(s.facilitator), sheet.id);
    const queued = item((await staff.get("/admin/fiches")).body);
    expect(queued).toContain("Soumise à relecture");
    expect(queued).not.toMatch(/publiée le/i);
    expect((await staff.get(`/fiches/${sheet.slug}`)).body).not
      .toMatch(/publiée le/i);
  });

  it("shows attested competences on profiles", async () => {
    const person = await t.client().get(`/personnes/${s.author.id}`);
    expect(person.body).toContain("Compétences attestées par des fiches");
    expect(person.body).toContain(`href="/fiches/${published.slug}"`);
    const org = await t.client().get(`/annuaire/${s.organisation.slug}`);
    expect(org.body).toContain("Animation de concertation");
  });

  it("serves published sheets only through the API, in OpenAPI",
    async () => {
      const list = await t.client().get("/api/sheets");
      expect(list.json().map((x: any) => x.slug)).toEqual([published.slug]);
      const one = await t.client().get(`/api/sheets/${published.slug}`);
      expect(one.json()).toMatchObject({ title: "Fiche publiée",
        competences: ["Animation de concertation", "Conduite du changement"],
        trajectory: [{ date: "2019-03", text: "premier atelier" },
          { date: "2020", text: "vote du budget" }] });
      expect((await (await t.client().signIn(s.author.id))
        .get(`/api/sheets/${draft.slug}`)).statusCode).toBe(404);
      const spec = (await t.client().get("/api/openapi.json")).json();
      expect(spec.paths["/api/sheets/{slug}"].get.tags).toEqual(["fiches"]);
    });
});
