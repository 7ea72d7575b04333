import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, startBrowserHarness, type BrowserHarness }
  from "../browser.ts";
import { addMembership, createOrganisation, createPerson }
  from "../factories.ts";

describe("experience sheets in a browser", () => {
  let h: BrowserHarness;
  beforeAll(async () => { h = await startBrowserHarness(); });
  afterAll(async () => { await h?.close(); });

  it("an ally and a facilitator write a sheet together and staff publish "
    + "it", async () => {
    const db = h.database.db;
    const ally = await createPerson(db, { fullName: "Camille Autrice" });
    const facilitator = await createPerson(db,
      { fullName: "Sacha Maïeuticien", isFacilitator: true });
    const staff = await createPerson(db, { role: "staff",
      fullName: "Alex Équipe" });
    const organisation = await createOrganisation(db,
      { name: "Collectif des communs" });
    await addMembership(db, ally.id, organisation.id);

    const page = await h.newPage(ally.id);
    await page.goto("/fiches/nouvelle");
    await expectAccessible(page);
    await page.getByLabel("Titre (obligatoire)").fill("La forêt commune");
    await page.getByLabel("Résumé").fill("Une forêt gérée par ses habitants.");
    await page.getByLabel("Contexte et territoire").fill("Un village **rural**.");
    await page.getByLabel("Trajectoire").fill("2021-05 : première réunion");
    await page.getByLabel("Compétences mises en œuvre")
      .fill("Gouvernance partagée");
    await page.getByLabel("Maïeuticien·ne").selectOption(facilitator.id);
    await page.getByLabel("Collectif des communs").check();
    await page.getByRole("button", { name: "Créer le brouillon" }).click();
    await expect(page.getByText("Le brouillon est enregistré.").count())
      .resolves.toBe(1);
    await expectAccessible(page);
    const url = new URL(page.url()).pathname;

    const helper = await h.newPage(facilitator.id);
    await helper.goto(url);
    await helper.getByLabel("Section").selectOption("lessons");
    await helper.getByLabel("Commentaire").fill("Et les enseignements ?");
    await helper.getByRole("button", { name: "Commenter" }).click();
    await helper.getByRole("link", { name: "Modifier" }).click();
    await expectAccessible(helper);
    await helper.getByLabel("Enseignements et principes transférables")
      .fill("Confier la décision aux habitants.");
    await helper.getByRole("button", { name: "Enregistrer" }).click();
    await helper.getByRole("button",
      { name: "Soumettre à l'équipe pour relecture" }).click();
    await expect(helper.getByText("Soumise à relecture").count())
      .resolves.toBe(1);
    await expectAccessible(helper);

    const admin = await h.newPage(staff.id);
    await admin.goto("/admin/fiches");
    await expectAccessible(admin);
    await admin.getByRole("link", { name: "La forêt commune" }).click();
    await admin.getByRole("button", { name: "Publier la fiche" }).click();
    await expect(admin.getByText("La fiche est publiée.").count())
      .resolves.toBe(1);
    await expectAccessible(admin);

    const visitor = await h.newPage();
    await visitor.goto("/fiches");
    await visitor.getByRole("link", { name: "La forêt commune" }).click();
    await expect(visitor.getByText("Confier la décision aux habitants.")
      .count()).resolves.toBe(1);
    await expect(visitor.locator(".citation").textContent()).resolves
      .toContain("Camille Autrice. « La forêt commune ». Fiche d'expérience");
    await expectAccessible(visitor);
    await visitor.getByRole("link", { name: "Historique des versions" })
      .click();
    await expectAccessible(visitor);
    await visitor.goto(`/personnes/${ally.id}`);
    await expect(visitor.getByRole("link", { name: "La forêt commune" })
      .count()).resolves.toBe(1);

    await h.sendMail();
    expect(h.smtp.messages.filter((m) => m.subject.includes("est publiée"))
      .flatMap((m) => m.to).sort())
      .toEqual([ally.email, facilitator.email].sort());
  });
});
