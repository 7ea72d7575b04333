import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  createDocumentRow, createOrganisation, createSheetRow, visitor,
} from "../../../test/factories.ts";
import type { Ctx } from "../../domain/context.ts";
import { searchLibrary, type LibraryHit } from "./search.ts";
import { segmentsToHtml, type Segment } from "./search-highlights.ts";

const plain = (segments: Segment[]) => segments.map((s) => s.text).join("");
const marked = (segments: Segment[]) =>
  segments.filter((s) => s.marked).map((s) => s.text);
const titles = (hits: LibraryHit[]) => hits.map((h) => plain(h.title));

describe("searching the document base and the sheets", () => {
  let t: TestApp;
  let ctx: Ctx;

  beforeAll(async () => {
    t = await createTestApp();
    ctx = t.ctx(visitor);
    const db = t.database.db;
    const cerdd = await createOrganisation(db, { name: "Cerdd" });
    await createDocumentRow(db, { title: "Les territoires en transition",
      kind: "study", year: 2021, themes: ["énergie"],
      territoryScope: ["region-32", "departement-62"],
      summary: "Une étude sur la sobriété.", body: "Texte long." });
    await createDocumentRow(db, { title: "Guide de la sobriété",
      kind: "teaching_tool", year: 2022, themes: ["énergie", "mobilité"],
      summary: "Pour les territoires ruraux et leur énergie.",
      body: "Animer un atelier avec les habitants.",
      organisationIds: [cerdd.id] });
    await createDocumentRow(db, { title: "Rapport annuel", kind: "review",
      year: 2022, summary: "Bilan de l'année.",
      body: "Les territoires pionniers ont avancé sur l'Énergie "
        + "(R&D <b>5</b> %) et la coopération intercommunale." });
    await createDocumentRow(db, { title: "Charter of the alliance",
      kind: "charter", language: "en", year: 2019, authors: "Fabrique",
      summary: "English version of the charter." });
    await createDocumentRow(db, { title: "Territoires en attente",
      status: "submitted", summary: "Pas encore validé." });
    await createSheetRow(db, { title: "Coopérer entre communes",
      summary: "Une expérience de coopération autour de l'énergie.",
      bodyText: "Les habitants de Loos-en-Gohelle se sont mobilisés.",
      themes: ["énergie"], territoryScope: ["region-32"],
      organisationIds: [cerdd.id] });
    await createSheetRow(db, { title: "Brouillon de fiche",
      status: "draft", summary: "Territoires et énergie." });
  });
  afterAll(async () => { await t?.close(); });

  it("finds inflected forms whatever the accents and case", async () => {
    const territoire = await searchLibrary(ctx, { q: "territoire" });
    expect(titles(territoire.hits)).toEqual(expect.arrayContaining([
      "Les territoires en transition", "Guide de la sobriété",
      "Rapport annuel"]));
    const energie = await searchLibrary(ctx, { q: "ENERGIE" });
    expect(titles(energie.hits)).toEqual(expect.arrayContaining([
      "Rapport annuel", "Coopérer entre communes"]));
    // The French stemmer reduces "coopérer" and "coopération" to one stem.
    const cooperer = await searchLibrary(ctx, { q: "coopérer" });
    expect(titles(cooperer.hits)).toEqual(expect.arrayContaining([
      "Coopérer entre communes", "Rapport annuel"]));
  });

  it("never shows what is not published", async () => {
    const result = await searchLibrary(ctx, { q: "territoires" });
    expect(titles(result.hits)).not.toContain("Territoires en attente");
    expect(titles(result.hits)).not.toContain("Brouillon de fiche");
  });

  it("ranks a word in the title above the summary above the body",
    async () => {
      const result = await searchLibrary(ctx, { q: "territoires" });
      expect(titles(result.hits)).toEqual(["Les territoires en transition",
        "Guide de la sobriété", "Rapport annuel"]);
      expect(result.hits[0].rank).toBeGreaterThan(result.hits[1].rank);
      expect(result.hits[1].rank).toBeGreaterThan(result.hits[2].rank);
    });

  it("reads quoted phrases and exclusions", async () => {
    const phrase = await searchLibrary(ctx, { q: '"territoires pionniers"' });
    expect(titles(phrase.hits)).toEqual(["Rapport annuel"]);
    const apart = await searchLibrary(ctx, { q: '"pionniers territoires"' });
    expect(apart.total).toBe(0);
    const without = await searchLibrary(ctx, { q: "territoires -sobriété" });
    expect(titles(without.hits)).toEqual(["Rapport annuel"]);
    // Themes are facets, not words of the text: "mobilité" is only a theme.
    expect((await searchLibrary(ctx, { q: "mobilité" })).total).toBe(0);
  });

  it("marks the matched words in the accented text and escapes the rest",
    async () => {
      const result = await searchLibrary(ctx, { q: "energie cooperation" });
      const report = result.hits.find(
        (h) => plain(h.title) === "Rapport annuel")!;
      expect(marked(report.excerpt)).toEqual(
        expect.arrayContaining(["Énergie", "coopération"]));
      const html = segmentsToHtml(report.excerpt);
      expect(html).toContain("<mark>Énergie</mark>");
      expect(html).toContain("R&amp;D");
      expect(html.replace(/<\/?mark>/g, "")).not.toMatch(/<[a-z/]/i);
      const sheet = result.hits.find((h) => h.source === "sheet")!;
      expect(marked(sheet.title)).toEqual(["Coopérer"]);
      expect(sheet.path).toMatch(/^\/fiches\//);
    });

  it("counts facets on the filtered set and filters by them", async () => {
    const all = await searchLibrary(ctx, { q: "énergie" });
    expect(all.total).toBe(3);
    expect(all.facets.kind).toEqual(expect.arrayContaining([
      { value: "experience_sheet", label: "fiche d'expérience", count: 1 },
      { value: "teaching_tool", label: "outil pédagogique", count: 1 },
      { value: "review", label: "revue", count: 1 }]));
    expect(all.facets.theme).toEqual(expect.arrayContaining([
      { value: "énergie", label: "énergie", count: 2 },
      { value: "mobilité", label: "mobilité", count: 1 }]));
    expect(all.facets.organisation).toEqual(
      [{ value: "Cerdd", label: "Cerdd", count: 2 }]);
    expect(all.facets.territory).toEqual([{ value: "region-32",
      label: "Hauts-de-France (région)", count: 1 }]);

    const byOrg = await searchLibrary(ctx,
      { q: "énergie", organisation: "Cerdd" });
    expect(byOrg.total).toBe(2);
    const sheets = await searchLibrary(ctx, { q: "énergie", source: "sheets" });
    expect(titles(sheets.hits)).toEqual(["Coopérer entre communes"]);
    const kind = await searchLibrary(ctx, { kind: "charter" });
    expect(titles(kind.hits)).toEqual(["Charter of the alliance"]);
    const english = await searchLibrary(ctx, { language: "en" });
    expect(english.total).toBe(1);
    expect(english.facets.organisation).toEqual(
      [{ value: "Fabrique", label: "Fabrique", count: 1 }]);
    const year = await searchLibrary(ctx, { year: 2022 });
    expect(year.total).toBe(2);
    const region = await searchLibrary(ctx, { territory: "region-32" });
    expect(region.total).toBe(2);
    const theme = await searchLibrary(ctx,
      { theme: "mobilité", q: "territoire" });
    expect(titles(theme.hits)).toEqual(["Guide de la sobriété"]);
  });

  it("pages through the results", async () => {
    const first = await searchLibrary(ctx, { perPage: 2 });
    const second = await searchLibrary(ctx, { perPage: 2, page: 2 });
    const far = await searchLibrary(ctx, { perPage: 2, page: 40 });
    expect(first.total).toBe(5);
    expect(first.pageCount).toBe(3);
    expect(first.hits).toHaveLength(2);
    expect(second.hits.map((h) => h.id)).not.toContain(first.hits[0].id);
    expect(far.hits).toEqual([]);
    expect(far.total).toBe(5);
  });

  it("lists the saved view of accompaniment, tools and methods", async () => {
    const view = await searchLibrary(ctx, { view: "accompagnement" });
    expect(titles(view.hits).sort()).toEqual(
      ["Coopérer entre communes", "Guide de la sobriété"]);
  });

  it("answers calmly to odd queries", async () => {
    const empty = await searchLibrary(ctx, { q: "   " });
    expect(empty.reading).toBe("none");
    expect(empty.total).toBe(5);
    const stop = await searchLibrary(ctx, { q: "de la et des" });
    expect(stop.reading).toBe("stopwords");
    expect(stop.total).toBe(5);
    const punctuation = await searchLibrary(ctx, { q: "!!! ?? ;:)(" });
    expect(punctuation.reading).toBe("none");
    const long = await searchLibrary(ctx,
      { q: "territoire ".repeat(200).slice(0, 2000) });
    expect(long.q.length).toBeLessThanOrEqual(200);
    expect(titles(long.hits)).toContain("Rapport annuel");
    const quotes = await searchLibrary(ctx, { q: '"territoires pionniers' });
    expect(titles(quotes.hits)).toEqual(["Rapport annuel"]);
    const odd = await searchLibrary(ctx, { q: "'\\ & | ! <-> :* (" });
    expect(odd.total).toBeGreaterThanOrEqual(0);
    const control = await searchLibrary(ctx, { q: "\u0001énergie\u0002" });
    expect(control.total).toBe(3);
  });
});

describe("searching a large document base", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    // Enough matches to pass the cap; the title of the last ones only.
    await t.database.db.execute(sql`
      insert into documents (slug, title, kind, summary, body, status,
        published_at)
      select 'compost-' || g,
        case when g > 1000 then 'Le compostage en bourg ' || g
          else 'Retour ' || g end, 'study', 'Un retour.',
        'Le compostage partagé.', 'published', now()
      from generate_series(1, 1010) g`);
  });
  afterAll(() => t.close());

  it("counts up to a thousand matches, then says there are more, "
    + "title matches first", async () => {
    const result = await searchLibrary(t.ctx(visitor), { q: "compostage" });
    expect(result.total).toBe(1000);
    expect(result.totalCapped).toBe(true);
    expect(result.pageCount).toBe(50);
    expect(plain(result.hits[0].title)).toMatch(/^Le compostage en bourg/);
    expect(result.facets.kind[0].count).toBeGreaterThan(1000);
  });

  it("counts exactly below the cap", async () => {
    const result = await searchLibrary(t.ctx(visitor), { q: "bourg" });
    expect(result.total).toBe(10);
    expect(result.totalCapped).toBe(false);
  });
});

describe("searches asked again", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it("are answered from memory, never with a stale base", async () => {
    const ctx = t.ctx(visitor);
    const db = t.database.db;
    const search = () => searchLibrary(ctx, { q: "ressourcerie" });
    expect((await search()).total).toBe(0);

    const assoc = await createOrganisation(db, { name: "Ressourcerie du Val" });
    const doc = await createDocumentRow(db, { title: "Ouvrir une ressourcerie",
      organisationIds: [assoc.id] });
    const found = await search();
    expect(titles(found.hits)).toEqual(["Ouvrir une ressourcerie"]);
    expect(await search()).toBe(found);
    expect(found.facets.organisation.map((f) => f.label))
      .toEqual(["Ressourcerie du Val"]);

    // Renaming the organisation changes the facet's label at once.
    await db.execute(sql`update organisations set name = 'Recyclerie du Val'
      where id = ${assoc.id}`);
    expect((await search()).facets.organisation.map((f) => f.label))
      .toEqual(["Recyclerie du Val"]);

    // So does withdrawing the document, and publishing a sheet.
    await db.execute(sql`update documents set status = 'refused'
      where id = ${doc.id}`);
    expect((await search()).total).toBe(0);
    await createSheetRow(db, { title: "La ressourcerie de Brest" });
    expect(titles((await search()).hits)).toEqual(["La ressourcerie de Brest"]);
  });

  it("are computed each time when the cache is off", async () => {
    const ctx = { ...t.ctx(visitor),
      config: { ...t.ctx(visitor).config, searchCacheSize: 0 } };
    const first = await searchLibrary(ctx, { q: "brest" });
    const second = await searchLibrary(ctx, { q: "brest" });
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });
});
