import fs from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson } from "../../../test/factories.ts";
import { createSession, SESSION_COOKIE } from "../accounts/sessions.ts";
import { importOrganisationsCsv } from "./csv-import.ts";

describe("directory in a browser", () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let staffId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const staff = await createPerson(t.database.db, { role: "staff" });
    staffId = staff.id;
    await importOrganisationsCsv(t.ctx(actorOf(staff)),
      fs.readFileSync("data/allies.csv"));
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(t.app.server.address() as any).port}`;
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const violations = async (page: any) =>
    (await new AxeBuilder({ page }).analyze()).violations
      .map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target)}`);

  it("lets a visitor search, filter and open a profile, accessibly",
    async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/annuaire`);
      expect(await violations(page)).toEqual([]);

      await page.getByLabel("Rechercher", { exact: true }).fill("loos en gohelle");
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.getByRole("link", { name: "Cerdd" }).click();

      await expect(page.getByRole("heading", { level: 1 }).textContent())
        .resolves.toBe("Cerdd");
      expect(await page.textContent("main")).toContain(
        "Loos-en-Gohelle (62)");
      expect(await violations(page)).toEqual([]);
      await context.close();
    });

  it("lets staff edit a profile with an accessible form", async () => {
    const context = await browser.newContext();
    await context.addCookies([{ name: SESSION_COOKIE, url: base,
      value: await createSession(t.database.db, staffId) }]);
    const page = await context.newPage();
    await page.goto(`${base}/annuaire/cerdd/modifier`);
    expect(await violations(page)).toEqual([]);

    await page.getByLabel("Territoires", { exact: true }).fill("Forges");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    expect(await violations(page)).toEqual([]);
    await page.getByLabel("Forges (77)").check();
    await page.getByRole("button", { name: "Enregistrer" }).click();

    expect(await page.textContent("main")).toContain("Forges (77)");
    await context.close();
  });

  it("imports a spreadsheet through the preview", async () => {
    const context = await browser.newContext();
    await context.addCookies([{ name: SESSION_COOKIE, url: base,
      value: await createSession(t.database.db, staffId) }]);
    const page = await context.newPage();
    await page.goto(`${base}/admin/annuaire/import`);
    expect(await violations(page)).toEqual([]);
    await page.getByLabel("Fichier CSV").setInputFiles({
      name: "nouveaux.csv", mimeType: "text/csv",
      buffer: Buffer.from("Nom;Ville\r\nRéseau Neuf;Arras\r\n") });
    await page.getByRole("button", { name: "Voir l'aperçu" }).click();
    expect(await violations(page)).toEqual([]);
    await page.getByRole("button", { name: "Confirmer l'import" }).click();

    expect(await page.textContent("main")).toContain("1 créée(s)");
    await page.goto(`${base}/annuaire/reseau-neuf`);
    expect(await page.textContent("h1")).toBe("Réseau Neuf");
    await context.close();
  });
});
