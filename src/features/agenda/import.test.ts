import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import type { Ctx } from "../../domain/context.ts";
import { importIcs } from "./import.ts";
import { events, occurrences } from "./tables.ts";

const AGENDA = fs.readFileSync("data/agenda-2021-2023.ics", "utf8");

describe("import of an iCalendar file", () => {
  let t: TestApp;
  let staff: Ctx;
  beforeAll(async () => {
    t = await createTestApp();
    staff = t.ctx(actorOf(await createPerson(t.database.db, { role: "staff" })));
  });
  afterAll(async () => { await t.close(); });

  it("imports the bundled agenda: 24 events and 32 dates", async () => {
    const report = await importIcs(staff, AGENDA);

    expect(report).toMatchObject({ created: 24, updated: 0, occurrences: 32,
      errors: [] });
  });

  it("places the permanence on the first Tuesday at 10:00 Paris time", async () => {
    const [permanence] = await t.database.db.select().from(events)
      .where(eq(events.icalUid, "alliance-001@agenda.example.org"));
    const dates = await t.database.db.select().from(occurrences)
      .where(eq(occurrences.eventId, permanence.id))
      .orderBy(occurrences.startsAt);

    expect(permanence.kind).toBe("office_hours");
    expect(permanence.videoUrl).toBe("https://visio.example.org/permanence");
    expect(dates.map((d) => d.startsAt.toISOString())).toEqual([
      "2021-10-05T08:00:00.000Z", "2021-11-02T09:00:00.000Z",
      "2021-12-07T09:00:00.000Z", "2022-02-01T09:00:00.000Z",
      "2022-03-01T09:00:00.000Z", "2022-04-05T08:00:00.000Z",
      "2022-05-03T08:00:00.000Z", "2022-06-07T08:00:00.000Z",
      "2022-07-05T08:00:00.000Z",
    ]);
    expect(dates[1].endsAt.toISOString()).toBe("2021-11-02T10:30:00.000Z");
  });

  it("reads all-day multi-day events, folded lines and escaped commas", async () => {
    const [assembly] = await t.database.db.select().from(events)
      .where(eq(events.icalUid, "alliance-017@agenda.example.org"));
    const [meetup] = await t.database.db.select().from(events)
      .where(eq(events.icalUid, "alliance-003@agenda.example.org"));

    expect(assembly).toMatchObject({ kind: "assembly", allDay: true });
    // 10 September to 10 November 2021 included, midnight to midnight.
    expect(assembly.startsAt.toISOString()).toBe("2021-09-09T22:00:00.000Z");
    expect(assembly.endsAt.toISOString()).toBe("2021-11-10T23:00:00.000Z");
    expect(meetup.title).toBe(
      "Rendez-vous d'interconnaissance n°2 : Visite et échanges, accueil par un allié");
    expect(meetup.location).toBe("Loos-en-Gohelle, Base 11/19");
    expect(meetup.kind).toBe("meetup");
    expect(meetup.videoUrl).toBeNull();
  });

  it("maps every category of the bundled file to its kind", async () => {
    const rows = await t.database.db.select({ kind: events.kind }).from(events);
    const counts: Record<string, number> = {};
    for (const { kind } of rows) counts[kind] = (counts[kind] ?? 0) + 1;

    expect(counts).toEqual({ office_hours: 1, meetup: 10, training: 8,
      fundamentals: 2, labelling: 1, assembly: 2 });
  });

  it("updates on a second import instead of duplicating", async () => {
    const changed = AGENDA.replace("SUMMARY:Session de labellisation",
      "SUMMARY:Session de labellisation (nouvelle salle)");
    const report = await importIcs(staff, changed);
    const all = await t.database.db.select().from(events);
    const dates = await t.database.db.select().from(occurrences);

    expect(report).toMatchObject({ created: 0, updated: 24, occurrences: 32 });
    expect(all).toHaveLength(24);
    expect(dates).toHaveLength(32);
    expect(all.map((e) => e.title))
      .toContain("Session de labellisation (nouvelle salle)");
  });

  it("reports a broken event and imports the others", async () => {
    const file = ["BEGIN:VCALENDAR", "VERSION:2.0",
      "BEGIN:VEVENT", "UID:bad-1@x", "SUMMARY:Sans date", "END:VEVENT",
      "BEGIN:VEVENT", "UID:good-1@x", "DTSTART:20300110T090000Z",
      "DTEND:20300110T100000Z", "SUMMARY:Autre chose",
      "CATEGORIES:DIVERS", "END:VEVENT", "END:VCALENDAR"].join("\r\n");
    const report = await importIcs(staff, file);

    expect(report.created).toBe(1);
    expect(report.errors).toEqual([{ uid: "bad-1@x", summary: "Sans date",
      message: "Évènement sans date de début (DTSTART)." }]);
    const [other] = await t.database.db.select().from(events)
      .where(eq(events.icalUid, "good-1@x"));
    expect(other.kind).toBe("other");
  });

  it("refuses a file that is not a calendar", async () => {
    await expect(importIcs(staff, "nom;prénom\nA;B")).rejects
      .toMatchObject({ code: "invalid" });
  });

  it("refuses an ally and a visitor", async () => {
    const ally = await createPerson(t.database.db);

    await expect(importIcs(t.ctx(actorOf(ally)), AGENDA)).rejects
      .toMatchObject({ code: "forbidden" });
    await expect(importIcs(t.ctx(visitor), AGENDA)).rejects
      .toMatchObject({ code: "unauthenticated" });
  });
});
