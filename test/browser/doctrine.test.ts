import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { expectAccessible, startBrowserHarness, type BrowserHarness }
  from "../browser.ts";
import { actorOf, createDocumentRow, createPerson } from "../factories.ts";
import { toParisLocal } from "../../src/domain/time.ts";
import { doctrineTexts } from "../../src/features/doctrine/tables.ts";
import { openDebate, proposeDoctrine } from "../../src/features/doctrine/texts.ts";

const DAY = 86_400_000;

describe("doctrine in a browser", () => {
  let h: BrowserHarness;
  beforeAll(async () => { h = await startBrowserHarness(); });
  afterAll(async () => { await h?.close(); });

  it("an amendment is accepted and a text is validated into the doctrine",
    async () => {
      const db = h.database.db;
      const staff = await createPerson(db, { role: "staff" });
      const proposer = await createPerson(db, { fullName: "Awa Proposante" });
      const ally = await createPerson(db, { fullName: "Bruno Allié" });
      const document = await createDocumentRow(db, {
        title: "Constat sur la coopération", kind: "finding",
        body: "Les territoires coopèrent.\n\nLa transition prend du temps." });
      const text = await proposeDoctrine({ ...h.operator,
        actor: actorOf(proposer) }, { documentId: document.id,
        reason: "Ce constat fonde notre action." });
      await openDebate({ ...h.operator, actor: actorOf(staff) }, {
        textId: text.id,
        endsAt: toParisLocal(new Date(Date.now() + 7 * DAY)) });
      const url = `/doctrine/${text.slug}`;

      // An ally proposes an amendment during the debate.
      const allyPage = await h.newPage(ally.id);
      await allyPage.goto(url);
      await expectAccessible(allyPage);
      await allyPage.getByLabel("Passage à remplacer")
        .fill("La transition prend du temps.");
      await allyPage.getByLabel("Nouveau texte")
        .fill("La transition prend du temps et de la confiance.");
      await allyPage.getByLabel("Motif de l'amendement")
        .fill("La confiance compte autant que le temps.");
      await allyPage.getByRole("button", { name: "Proposer l'amendement" })
        .click();
      await expect(allyPage.getByText("Amendement proposé.").count())
        .resolves.toBe(1);

      // The proposer accepts it: version 2.
      const proposerPage = await h.newPage(proposer.id);
      await proposerPage.goto(url);
      await proposerPage.getByRole("button", { name: "Accepter l'amendement" })
        .click();
      await expect(proposerPage.getByText(/une nouvelle version du texte/)
        .count()).resolves.toBe(1);
      await proposerPage.goto(`${url}/versions?de=1&a=2`);
      await expect(proposerPage.locator("ins").first().textContent())
        .resolves.toContain("et de la confiance");
      await expectAccessible(proposerPage);

      // The debate ends; staff open the ballot of all allies.
      await db.update(doctrineTexts).set({
        debateOpenedAt: new Date(Date.now() - 3 * DAY),
        debateEndsAt: new Date(Date.now() - DAY) })
        .where(eq(doctrineTexts.id, text.id));
      const admin = await h.newPage(staff.id);
      await admin.goto(url);
      await expectAccessible(admin);
      await admin.getByLabel("Fin du scrutin (heure de Paris)")
        .fill(toParisLocal(new Date(Date.now() + 3 * DAY)));
      await admin.getByLabel("Un nombre d'allié·es").check();
      await admin.getByLabel("Valeur du quorum").fill("1");
      await admin.getByRole("button", { name: "Ouvrir le scrutin" }).click();
      await expect(admin.getByText(/Le scrutin de validation est ouvert/)
        .count()).resolves.toBe(1);

      // The ally votes from their ballots.
      await allyPage.goto("/mes-scrutins");
      await allyPage.getByRole("link", { name: /Constat sur la coopération/ })
        .click();
      await expectAccessible(allyPage);
      await allyPage.getByLabel("Pour").check();
      await allyPage.getByRole("button", { name: "Voter" }).click();
      await expect(allyPage.getByText("Votre vote est enregistré.").count())
        .resolves.toBe(1);

      // Staff close it; the text joins the doctrine, version 2.
      await admin.goto(url);
      await admin.getByRole("button", { name: "Clore le scrutin maintenant" })
        .click();
      const visitor = await h.newPage();
      await visitor.goto("/doctrine");
      await expect(visitor.getByText(/version 2, validée le/).count())
        .resolves.toBe(1);
      await expectAccessible(visitor);
      await visitor.getByRole("link", { name: "Constat sur la coopération" })
        .click();
      await expect(visitor.getByText(/du temps et de la confiance/).count())
        .resolves.toBeGreaterThan(0);
      await expectAccessible(visitor);

      await h.sendMail();
      const subjects = h.smtp.messages.map((m) => m.subject);
      expect(subjects).toContain(
        "« Constat sur la coopération » entre dans la doctrine");
    });
});
