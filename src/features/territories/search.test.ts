import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { resolveTerritory, searchTerritories } from "./search.ts";

describe("territory search", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("labels homonymous communes with their département", async () => {
    const found = await searchTerritories(t.database.db, "forges",
      { kinds: ["commune"], limit: 20 });
    const labels = found.map((f) => f.label);

    expect(labels).toContain("Forges (77)");
    expect(labels).toContain("Forges (17)");
  });

  it("puts exact matches first, whatever the accents and hyphens", async () => {
    const [first] = await searchTerritories(t.database.db, "loos en gohelle");

    expect(first).toMatchObject({ id: "commune-62528",
      label: "Loos-en-Gohelle (62)" });
  });

  it("labels départements, régions and EPCI", async () => {
    const db = t.database.db;

    expect((await searchTerritories(db, "Pas-de-Calais",
      { kinds: ["departement"] }))[0].label).toBe("Pas-de-Calais (62)");
    expect((await searchTerritories(db, "hauts de france",
      { kinds: ["region"] }))[0].label).toBe("Hauts-de-France (région)");
    expect((await searchTerritories(db, "CA de Lens",
      { kinds: ["epci"] }))[0]).toMatchObject({
      id: "epci-246200364", label: "CA de Lens - Liévin (EPCI)" });
  });

  it("tolerates a small typo", async () => {
    const found = await searchTerritories(t.database.db, "Loos en Gohele",
      { kinds: ["commune"] });

    expect(found.map((f) => f.id)).toContain("commune-62528");
  });

  it("resolves an id, a label, and reports a homonym as ambiguous",
    async () => {
      const db = t.database.db;
      const byId = await resolveTerritory(db, "departement-62");
      const byLabel = await resolveTerritory(db, "Forges (77)");
      const homonym = await resolveTerritory(db, "Forges",
        { kinds: ["commune"] });
      const nothing = await resolveTerritory(db, "zzqxw");

      expect(byId).toMatchObject({ status: "found",
        territory: { label: "Pas-de-Calais (62)" } });
      expect(byLabel).toMatchObject({ status: "found",
        territory: { kind: "commune", name: "Forges" } });
      expect(homonym.status).toBe("ambiguous");
      expect(nothing.status).toBe("unknown");
    });

  it("resolves official codes directly", async () => {
    const db = t.database.db;
    const idOf = async (text: string, kinds?: ("commune" | "departement")[]) => {
      const found = await resolveTerritory(db, text, { kinds });
      return found.status === "found" ? found.territory.id : found.status;
    };

    expect(await idOf("62528")).toBe("commune-62528");
    expect(await idOf("62")).toBe("departement-62");
    expect(await idOf("2A")).toBe("departement-2A");
    expect(await idOf("974")).toBe("departement-974");
    expect(await idOf("R32")).toBe("region-32");
    expect(await idOf("Hauts-de-France")).toBe("region-32");
    expect(await idOf("246200364")).toBe("epci-246200364");
    expect(await idOf("commune-62528")).toBe("commune-62528");
    expect(await idOf("62528", ["commune"])).toBe("commune-62528");
    expect(await idOf("99999")).toBe("unknown");
    expect(await idOf("62", ["commune"])).toBe("unknown");
  });

  it("calls a name close to nothing unknown", async () => {
    expect(await resolveTerritory(t.database.db, "xyz"))
      .toMatchObject({ status: "unknown" });
  });

  it("answers the territory API with labels", async () => {
    const response = await t.client().get(
      "/api/territories?q=loos-en-gohelle&kind=commune");

    expect(response.statusCode).toBe(200);
    expect(response.json().items[0].label).toBe("Loos-en-Gohelle (62)");
  });
});
