import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, startBrowserHarness, type BrowserHarness }
  from "../browser.ts";
import { createPerson } from "../factories.ts";
import { requestToJoin } from "../../src/features/accounts/join.ts";
import { VISITOR } from "../../src/domain/context.ts";

describe("accounts in a browser", () => {
  let h: BrowserHarness;
  beforeAll(async () => { h = await startBrowserHarness(); });
  afterAll(async () => { await h?.close(); });

  it("signs in with a link received by e-mail", async () => {
    const person = await createPerson(h.database.db,
      { fullName: "Inès Lefèvre" });
    const page = await h.newPage();
    await page.goto("/connexion");
    await expectAccessible(page);

    await page.getByRole("link", { name: /lien de connexion/ }).click();
    await expectAccessible(page);
    await page.getByLabel("Adresse e-mail").fill(person.email!);
    await page.getByRole("button", { name: "Recevoir le lien" }).click();
    await expect(page.getByRole("status").textContent()).resolves
      .toContain("Si un compte existe");
    await h.sendMail();
    const mail = h.smtp.messages.find((m) => m.to.includes(person.email!))!;
    const url = /http:\/\/\S+\/connexion\/lien\/\S+/.exec(mail.text)![0];
    await page.goto(url);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Me connecter" }).click();

    await expect(page.getByRole("heading", { level: 1 }).textContent())
      .resolves.toBe("Mon compte");
    await expectAccessible(page);
  });

  it("asks to join, and staff accept the request", async () => {
    const staff = await createPerson(h.database.db, { role: "staff" });
    const page = await h.newPage();
    await page.goto("/adhesion");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Envoyer ma demande" }).click();
    await expect(page.getByRole("alert").textContent()).resolves
      .toContain("Indiquez votre nom");
    await expectAccessible(page);
    await requestToJoin({ ...h.operator, actor: VISITOR }, {
      fullName: "Noé Garnier", email: "noe@example.org",
      organisation: "Parc naturel", message: "Bonjour", ip: "127.0.0.2" });

    const admin = await h.newPage(staff.id);
    for (const path of ["/admin", "/admin/invitations", "/admin/personnes",
      `/admin/personnes/${staff.id}`]) {
      await admin.goto(path);
      await expectAccessible(admin);
    }
    await admin.goto("/admin/adhesions");
    await expectAccessible(admin);
    await admin.getByRole("button", { name: "Accepter la demande de Noé "
      + "Garnier" }).click();

    await expect(admin.getByRole("status").textContent()).resolves
      .toContain("acceptée");
  });
});
