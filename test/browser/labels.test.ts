import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, startBrowserHarness, type BrowserHarness }
  from "../browser.ts";
import {
  actorOf, addMembership, createInitiative, createOrganisation, createPerson,
} from "../factories.ts";
import { toParisLocal } from "../../src/domain/time.ts";
import { createCollective } from "../../src/features/labels/collectives.ts";
import { createLabel } from "../../src/features/labels/labels.ts";
import { proposeInitiative } from "../../src/features/labels/proposals.ts";
import { parisDay } from "../../src/domain/time.ts";

describe("labelling in a browser", () => {
  let h: BrowserHarness;
  beforeAll(async () => { h = await startBrowserHarness(); });
  afterAll(async () => { await h?.close(); });

  it("a member votes and changes their vote; staff close; the label is in "
    + "the register", async () => {
    const db = h.database.db;
    const staff = await createPerson(db, { role: "staff" });
    const member = await createPerson(db, { fullName: "Camille Membre" });
    const staffCtx = { ...h.operator, actor: actorOf(staff) };
    const label = await createLabel(staffCtx,
      { name: "Sous l'égide de la Fabrique", criteria: "Coopérer" });
    const collective = await createCollective(staffCtx, {
      name: "Collectif 2026", startsOn: parisDay(new Date()),
      endsOn: parisDay(new Date(Date.now() + 90 * 86_400_000)),
      quorumKind: "share", quorumValue: "50", majority: "simple",
      memberEmails: member.email! });
    const organisation = await createOrganisation(db);
    await addMembership(db, member.id, organisation.id);
    const initiative = await createInitiative(db, {
      title: "Atelier des communs", carriers: [organisation.id] });
    const proposal = await proposeInitiative(staffCtx, {
      labelId: label.id, initiativeId: initiative.id,
      collectiveId: collective.id,
      closesAt: toParisLocal(new Date(Date.now() + 86_400_000)),
      readings: ["Coopère avec trois structures."] });

    const page = await h.newPage(member.id);
    await page.goto("/mes-scrutins");
    await expectAccessible(page);
    await page.getByRole("link", { name: /Atelier des communs/ }).click();
    await page.getByLabel("Contre").check();
    await page.getByRole("button", { name: "Voter" }).click();
    await expect(page.getByText("Votre vote est enregistré.").count())
      .resolves.toBe(1);
    await page.getByLabel("Pour").check();
    await page.getByRole("button", { name: "Changer mon vote" }).click();
    await expect(page.locator("strong").first().textContent())
      .resolves.toBe("Pour");
    await expectAccessible(page);

    const admin = await h.newPage(staff.id);
    await admin.goto(`/admin/propositions/${proposal.id}`);
    await expectAccessible(admin);
    await admin.getByRole("button", { name: "Clore le scrutin maintenant" })
      .click();
    await expect(admin.getByText("Décision : adopté").count()).resolves.toBe(1);

    const visitor = await h.newPage();
    await visitor.goto("/labels");
    await expect(visitor.getByRole("link", { name: "Atelier des communs" })
      .count()).resolves.toBe(1);
    await expectAccessible(visitor);
  });
});
