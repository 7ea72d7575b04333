import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson } from "../factories.ts";
import { createTestEvent } from "../../src/features/agenda/fixtures.ts";
import { registerForOccurrence } from "../../src/features/agenda/registrations.ts";
import { actorOf } from "../factories.ts";
import { expectAccessible, startBrowserHarness, type BrowserHarness }
  from "../browser.ts";

// Events far enough ahead to be open whatever day the suite runs.
const YEAR = new Date().getFullYear() + 2;

describe("agenda journeys in a browser", () => {
  let h: BrowserHarness;
  beforeAll(async () => { h = await startBrowserHarness(); });
  afterAll(async () => { await h?.close(); });

  it("lets a visitor find an event, read it in Paris time and subscribe to the feed", async () => {
    await createTestEvent(h.operator, {
      title: "Permanence de l'Alliance", kind: "office_hours",
      start: `${YEAR}-07-07T10:00`, end: `${YEAR}-07-07T11:30`,
    });
    const page = await h.newPage();

    await page.goto("/agenda");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Permanence de l'Alliance" }).first()
      .click();
    await expectAccessible(page);
    // The browser runs in New York; the page still says 10:00, Paris time.
    await expect(page.locator("main").textContent()).resolves.toContain("10:00");

    await page.goto("/agenda");
    const feed = page.getByRole("link", { name: /S'abonner à l'agenda/ });
    const href = await feed.getAttribute("href");
    const response = await page.request.get(href!);
    expect(response.headers()["content-type"]).toContain("text/calendar");
    const body = await response.text();
    expect(body).toContain("SUMMARY:Permanence de l'Alliance");
    expect(body).toContain(`DTSTART;TZID=Europe/Paris:${YEAR}0707T100000`);

    await page.goto(`/agenda/mois/${YEAR}-07`);
    await expectAccessible(page);
  });

  it("registers an ally and sends the confirmation e-mail with the event attached", async () => {
    const ally = await createPerson(h.database.db, { fullName: "Awa Diallo" });
    const { event } = await createTestEvent(h.operator, {
      title: "Formation à la base de données", kind: "training",
      start: `${YEAR}-09-15T14:00`, end: `${YEAR}-09-15T17:00`, capacity: 10,
    });
    const page = await h.newPage(ally.id);

    await page.goto(`/agenda/${event.slug}`);
    await page.getByRole("button", { name: "M'inscrire" }).click();

    await expect(page.getByRole("status").textContent()).resolves.toBeTruthy();
    await expect(page.getByRole("button", { name: "Annuler mon inscription" })
      .count()).resolves.toBe(1);
    await expectAccessible(page);
    await h.sendMail();
    const mail = h.smtp.messages.find((m) => m.to.includes(ally.email!));
    expect(mail?.subject).toContain("Formation à la base de données");
    expect(mail?.attachments.some((a) => a.contentType
      .startsWith("text/calendar") && a.content.includes("BEGIN:VEVENT")))
      .toBe(true);
  });

  it("puts the next person on the waiting list when the event is full", async () => {
    const first = await createPerson(h.database.db);
    const second = await createPerson(h.database.db);
    const { event, occurrences } = await createTestEvent(h.operator, {
      title: "Assemblée des allié·es", kind: "assembly",
      start: `${YEAR}-12-14T09:30`, end: `${YEAR}-12-14T17:00`, capacity: 1,
    });
    await registerForOccurrence({ ...h.operator, actor: actorOf(first) },
      { occurrenceId: occurrences[0].id });
    const page = await h.newPage(second.id);

    await page.goto(`/agenda/${event.slug}`);
    await expect(page.locator("main").textContent()).resolves.toContain("Complet");
    await page.getByRole("button",
      { name: "M'inscrire sur la liste d'attente" }).click();

    await expect(page.locator("main").textContent())
      .resolves.toContain("Sur liste d'attente");
  });
});
