import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, addMembership, createOrganisation, createPerson,
  initiativeInput as input, visitor,
} from "../../../test/factories.ts";
import { createInitiative } from "./create-initiative.ts";
import { publishInitiative } from "./publication.ts";
import { findInitiatives } from "./search.ts";

describe("finding initiatives, their feed and their API", () => {
  let t: TestApp;
  let draftId: string;
  let energyId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const town = await createOrganisation(db, { name: "Commune test",
      kind: "local_authority" });
    const lab = await createOrganisation(db, { name: "Labo test",
      kind: "research" });
    const ally = await createPerson(db);
    const staff = actorOf(await createPerson(db, { role: "staff" }));
    await addMembership(db, ally.id, town.id);
    await addMembership(db, ally.id, lab.id);
    const as = t.ctx(actorOf(ally));
    const publish = async (i: Parameters<typeof input>[1],
      carrier = town.id) => {
      const created = await createInitiative(as, input([carrier], i));
      await publishInitiative(t.ctx(staff), created.id);

      return created.id;
    };

    energyId = await publish({ title: "Rénovation énergétique des écoles",
      territories: "commune-62528", themes: "énergie", stage: "running",
      offers: [{ kind: "tool", text: "tableur de suivi des consommations" }],
      needs: [] });
    await publish({ title: "Covoiturage rural", themes: "mobilité",
      territories: "commune-59183", stage: "idea", offers: [], needs: [],
      summary: "Une plateforme de mobilité partagée.", description: "" },
    lab.id);
    await publish({ title: "Jardins partagés", themes: "alimentation",
      territories: "commune-75056", stage: "idea", offers: [], needs: [],
      summary: "", description: "" });
    draftId = (await createInitiative(as, input([town.id],
      { title: "Brouillon énergétique secret" }))).id;
  });
  afterAll(async () => { await t.close(); });

  const titles = async (filters: Parameters<typeof findInitiatives>[1]) =>
    (await findInitiatives(t.ctx(visitor), filters)).items.map((i) => i.title);

  it("finds without accents, and never a draft", async () => {
    expect(await titles({ q: "renovation energetique" }))
      .toEqual(["Rénovation énergétique des écoles"]);
  });

  it("forgives a typo", async () => {
    expect(await titles({ q: "mobilté" })).toEqual(["Covoiturage rural"]);
    expect(await titles({ q: "covoiturrage" })).toEqual(["Covoiturage rural"]);
  });

  it("searches the offers and needs too", async () => {
    expect(await titles({ q: "tableur consommations" }))
      .toEqual(["Rénovation énergétique des écoles"]);
  });

  it("filters by territory with its hierarchy", async () => {
    expect(await titles({ territory: "departement-62" }))
      .toEqual(["Rénovation énergétique des écoles"]);
    expect((await titles({ territory: "region-32" })).sort())
      .toEqual(["Covoiturage rural", "Rénovation énergétique des écoles"]);
    expect(await titles({ territory: "epci-246200364" }))
      .toEqual(["Rénovation énergétique des écoles"]);
  });

  it("filters by theme, stage and carrier kind", async () => {
    expect(await titles({ theme: "alimentation" })).toEqual(["Jardins partagés"]);
    expect(await titles({ stage: "running" }))
      .toEqual(["Rénovation énergétique des écoles"]);
    expect(await titles({ carrierKind: "research" }))
      .toEqual(["Covoiturage rural"]);
  });

  it("serves the list page with search and a territory typed by name", async () => {
    const page = await t.client().get(
      "/initiatives?q=energie&territoire=Pas-de-Calais");

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Rénovation énergétique des écoles");
    expect(page.body).not.toContain("Covoiturage rural");
    expect(page.body).not.toContain("Brouillon");
  });

  it("lists only published initiatives in the feeds", async () => {
    const rss = await t.client().get("/initiatives/flux.xml");
    const atom = await t.client().get("/initiatives/flux.atom");

    expect(rss.headers["content-type"]).toContain("application/rss+xml");
    expect(rss.body).toContain("<title><![CDATA[Jardins partagés]]></title>");
    expect(rss.body).not.toContain("Brouillon");
    expect(atom.body).toContain("Covoiturage rural");
    expect(atom.body).not.toContain("Brouillon");
  });

  it("shows only published initiatives and public fields in the API", async () => {
    const list = await t.app.inject("/api/initiatives?q=energetique");
    const one = await t.app.inject(`/api/initiatives/${energyId}`);
    const draft = await t.app.inject(`/api/initiatives/${draftId}`);

    expect(list.json().items.map((i: any) => i.title))
      .toEqual(["Rénovation énergétique des écoles"]);
    expect(Object.keys(one.json()).sort()).toEqual(["carriers", "description",
      "endsOn", "id", "imageUrl", "labels", "links", "needs", "offers",
      "organisations", "publishedAt", "slug", "stage", "startsOn", "summary",
      "territories", "themes", "title", "updatedAt", "url"]);
    expect(one.json().offers).toEqual([{ kind: "tool",
      text: "tableur de suivi des consommations" }]);
    expect(draft.statusCode).toBe(404);
    expect(draft.json().message).toBe("Page introuvable.");
  });

  it("describes the initiatives API in the OpenAPI document", async () => {
    const doc = (await t.app.inject("/api/openapi.json")).json();

    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      "/api/initiatives", "/api/initiatives/{id}",
      "/api/initiatives/{id}/suggestions"]));
  });
});
