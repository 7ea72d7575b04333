import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, startBrowserHarness, type BrowserHarness }
  from "../browser.ts";
import { createDocumentRow, createSheetRow } from "../factories.ts";

describe("the document base in a browser", () => {
  let h: BrowserHarness;
  beforeAll(async () => { h = await startBrowserHarness(); });
  afterAll(async () => { await h?.close(); });

  it("a visitor searches the base and opens a highlighted result",
    async () => {
      const db = h.database.db;
      await createDocumentRow(db, { title: "Coopérer entre territoires",
        slug: "cooperer-entre-territoires", kind: "framework", year: 2021,
        themes: ["coopération"], summary: "Un référentiel de la coopération.",
        body: "Les territoires pionniers ont appris à coopérer.\n\n"
          + "La coopération entre élus et habitants demande du temps." });
      await createDocumentRow(db, { title: "Statuts", kind: "statutes",
        summary: "Les statuts de l'association." });
      await createSheetRow(db, { title: "Une coopérative d'énergie",
        summary: "Des habitants coopèrent autour de l'énergie." });

      const page = await h.newPage();
      await page.goto("/fonds");
      await expectAccessible(page);
      await page.getByLabel("Chercher", { exact: true }).fill("cooperation");
      await page.getByRole("button", { name: "Chercher" }).click();
      await expect(page.getByRole("status").first().textContent())
        .resolves.toContain("2 résultats");
      await expect(page.locator(".hit-list mark").count())
        .resolves.toBeGreaterThan(0);
      await expectAccessible(page);

      await page.getByRole("link", { name: "référentiel" }).click();
      await expect(page.getByRole("status").first().textContent())
        .resolves.toContain("1 résultat");
      await page.getByRole("link", { name: "Coopérer entre territoires" })
        .click();
      await expect(page.getByRole("heading", { level: 1 }).textContent())
        .resolves.toBe("Coopérer entre territoires");
      const marks = await page.locator(".document-text mark").allTextContents();
      expect(marks).toEqual(expect.arrayContaining(["coopérer",
        "coopération"]));
      await expectAccessible(page);
    });
});
