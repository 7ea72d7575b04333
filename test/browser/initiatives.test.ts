import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, startBrowserHarness, type BrowserHarness }
  from "../browser.ts";
import {
  addMembership, createOrganisation, createPerson, initiativeInput,
} from "../factories.ts";
import {
  createInitiative,
} from "../../src/features/initiatives/create-initiative.ts";
import {
  publishInitiative,
} from "../../src/features/initiatives/publication.ts";

describe("initiatives in a browser", () => {
  let h: BrowserHarness;
  let allyId: string;
  let staffId: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const db = h.database.db;
    const org = await createOrganisation(db, { name: "Cerdd" });
    const other = await createOrganisation(db, { name: "Virage Énergie" });
    const ally = await createPerson(db, { fullName: "Alice Porteuse" });
    const staff = await createPerson(db, { role: "staff" });
    await addMembership(db, ally.id, org.id);
    allyId = ally.id;
    staffId = staff.id;
    const offer = await createInitiative(h.operator, initiativeInput(
      [other.id], { title: "Formations à la facilitation", offers: [{
        kind: "training", text: "formation à la facilitation de réunions" }],
      needs: [] }));
    await publishInitiative(h.operator, offer.id);
  });
  afterAll(async () => { await h?.close(); });

  it("lets an ally declare an initiative with offers and needs, staff publish it, and the ally see suggestions", async () => {
    const page = await h.newPage(allyId);
    await page.goto("/initiatives/nouvelle");
    await expectAccessible(page);
    await page.getByLabel("Titre").fill("Cycle de dialogue territorial");
    await page.getByLabel("Résumé").fill("Des rencontres entre acteurs.");
    await page.getByLabel("Territoires").fill("Loos-en-Gohelle");
    await page.getByLabel("Thèmes").fill("coopération, dialogue territorial");
    await page.getByLabel("Offre 1 : en quelques mots")
      .fill("méthode d'animation de dialogue territorial");
    await page.getByLabel("Besoin 1 : type").selectOption("training");
    await page.getByLabel("Besoin 1 : en quelques mots")
      .fill("formation facilitation des réunions");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.getByRole("button",
      { name: "Soumettre à l'équipe pour publication" }).click();
    await expect(page.getByRole("status").first().textContent())
      .resolves.toContain("soumise");

    const staffPage = await h.newPage(staffId);
    await staffPage.goto("/admin/initiatives");
    await expectAccessible(staffPage);
    await staffPage.getByRole("button", { name: "Publier" }).click();

    await page.goto("/initiatives");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Cycle de dialogue territorial" })
      .click();
    await expectAccessible(page);
    await page.getByRole("link",
      { name: "Voir les opportunités de mutualisation" }).click();
    await expect(page.getByRole("heading", { level: 2 }).first()
      .textContent()).resolves.toBe("Formations à la facilitation");
    await expect(page.locator(".suggestions").textContent()).resolves
      .toContain("propose une formation dont cette initiative a besoin");
    await expectAccessible(page);
  });
});
