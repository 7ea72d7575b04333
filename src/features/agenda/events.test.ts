import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import type { Ctx } from "../../domain/context.ts";
import { outbox } from "../../mail/tables.ts";
import {
  cancelEvent, cancelOccurrence, createEvent, updateEvent,
} from "./events.ts";
import { createOrganisation, createTestEvent } from "./fixtures.ts";
import { registerForOccurrence } from "./registrations.ts";
import { occurrences, registrations } from "./tables.ts";

describe("events and their dates", () => {
  let t: TestApp;
  let staff: Ctx;
  let ally: Ctx;
  const datesOf = (eventId: string) => t.database.db.select().from(occurrences)
    .where(eq(occurrences.eventId, eventId)).orderBy(occurrences.startsAt);
  // Stands in the winter of 2029-2030: every test date is ahead.
  beforeAll(async () => {
    t = await createTestApp({}, () => new Date("2029-12-01T00:00:00Z"));
    staff = t.ctx(actorOf(await createPerson(t.database.db, { role: "staff" })));
    ally = t.ctx(actorOf(await createPerson(t.database.db)));
  });
  afterAll(async () => { await t.close(); });

  it("stores Paris wall-clock times as instants", async () => {
    const host = await createOrganisation(t.database.db);
    const { event } = await createTestEvent(staff, {
      start: "2030-07-01T10:00", end: "2030-07-01T12:00",
      hostOrganisationId: host.id,
    });

    expect(event.startsAt.toISOString()).toBe("2030-07-01T08:00:00.000Z");
    expect(event.hostOrganisationId).toBe(host.id);
    expect(event.slug).toBe("rendez-vous-d-interconnaissance");
  });

  it("stores an all-day multi-day event from Paris midnight to midnight", async () => {
    const { event } = await createTestEvent(staff, { title: "Assemblée",
      kind: "assembly", allDay: "on", start: "2030-12-14", end: "2030-12-15" });

    expect(event.startsAt.toISOString()).toBe("2030-12-13T23:00:00.000Z");
    expect(event.endsAt.toISOString()).toBe("2030-12-15T23:00:00.000Z");
  });

  it("keeps a 10:00 permanence at 10:00 across the change of time", async () => {
    const { occurrences: dates } = await createTestEvent(staff, {
      title: "Permanence", kind: "office_hours",
      start: "2030-01-08T10:00", end: "2030-01-08T11:30",
      rrule: "FREQ=MONTHLY;BYDAY=2TU;COUNT=5", exdates: "2030-02-12",
    });

    expect(dates.map((d) => d.startsAt.toISOString())).toEqual([
      "2030-01-08T09:00:00.000Z", "2030-03-12T09:00:00.000Z",
      "2030-04-09T08:00:00.000Z", "2030-05-14T08:00:00.000Z",
    ]);
  });

  it("stops an open rule at 200 dates", async () => {
    const { occurrences: dates } = await createTestEvent(staff, {
      title: "Point quotidien", start: "2030-01-01T09:00",
      end: "2030-01-01T09:15", rrule: "FREQ=DAILY" });

    expect(dates).toHaveLength(200);
  });

  it("reports every bad field in French", async () => {
    await expect(createEvent(staff, { title: "", kind: "fete",
      start: "demain", end: "", capacity: "-3", videoUrl: "javascript:x",
      rrule: "n'importe quoi" })).rejects.toMatchObject({
      code: "invalid",
      fields: {
        title: "Indiquez un titre.", kind: "Choisissez un type.",
        start: expect.any(String), end: expect.any(String),
        capacity: expect.stringContaining("nombre entier"),
        videoUrl: expect.stringContaining("https://"),
        rrule: expect.any(String),
      },
    });
  });

  it("refuses a capacity beyond 100 000 places", async () => {
    await expect(createEvent(staff, { title: "Grand rassemblement",
      kind: "assembly", start: "2030-06-01T10:00", end: "2030-06-01T18:00",
      capacity: "99999999999999999999" })).rejects.toMatchObject({
      code: "invalid",
      fields: { capacity: expect.stringContaining("entre 1 et 100 000") },
    });
    const { event } = await createTestEvent(staff, { title: "Plénière",
      start: "2030-06-02T10:00", end: "2030-06-02T18:00", capacity: "100000" });
    expect(event.capacity).toBe(100000);
  });

  it("refuses rules that are not a daily to yearly RRULE value", async () => {
    const refused = async (rrule: string) => {
      const error = await createEvent(staff, { title: "Point", kind: "other",
        start: "2030-06-03T09:00", end: "2030-06-03T09:15", rrule })
        .catch((e) => e);
      expect(error).toMatchObject({ code: "invalid" });

      return error.fields.rrule as string;
    };

    expect(await refused("FREQ=SOMETIMES")).toContain("DAILY, WEEKLY");
    for (const rrule of ["FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY"]) {
      expect(await refused(rrule)).toContain("DAILY, WEEKLY");
    }
    expect(await refused("FREQ=WEEKLY\nDTSTART:19000101T000000Z"))
      .toContain("seulement la valeur");
    expect(await refused("FREQ=WEEKLY;DTSTART=19000101T000000Z"))
      .toContain("seulement la valeur");
    expect(await refused("FREQ=DAILY;BYHOUR=1,2,3")).toContain("seulement");
    expect(await refused("FREQ=WEEKLY;INTERVAL=0")).toContain("INTERVAL");
    expect(await refused("FREQ=WEEKLY;BYDAY=XX")).toContain("pas comprise");
    expect(await refused("FREQ=WEEKLY;UNTIL=demain")).toContain("pas comprise");

    const { event } = await createTestEvent(staff, { title: "Permanence",
      start: "2030-06-04T10:00", end: "2030-06-04T11:00",
      rrule: "RRULE:freq=weekly;count=2" });
    expect(event.rrule).toBe("FREQ=WEEKLY;COUNT=2");
  });

  it("refuses a time skipped by the change to summer time", async () => {
    // On 31 March 2030 Paris clocks go from 02:00 straight to 03:00.
    await expect(createEvent(staff, { title: "Veillée", kind: "other",
      start: "2030-03-31T02:30", end: "2030-03-31T04:00",
      registrationOpens: "2030-03-31T02:00" })).rejects.toMatchObject({
      fields: {
        start: "Cette heure n'existe pas à Paris ce jour-là (passage à "
          + "l'heure d'été) : choisissez une autre heure.",
        registrationOpens: expect.stringContaining("heure d'été"),
      },
    });
  });

  it("takes the first of the two 02:30 on the night back to winter time", async () => {
    const { event } = await createTestEvent(staff, { title: "Nuit blanche",
      start: "2030-10-27T02:30", end: "2030-10-27T05:00" });

    expect(event.startsAt.toISOString()).toBe("2030-10-27T00:30:00.000Z");
  });

  it("says an impossible calendar date is invalid", async () => {
    const error = await createEvent(staff, { title: "Réunion", kind: "other",
      start: "2030-02-30T10:00", end: "2030-02-28T12:00",
      exdates: "2030-02-31" }).catch((e) => e);
    const allDay = await createEvent(staff, { title: "Journée", kind: "other",
      allDay: "on", start: "2030-04-31" }).catch((e) => e);

    expect(error.fields.start).toBe("Date invalide.");
    expect(error.fields.end).toBeUndefined();
    expect(allDay.fields.start).toBe("Date invalide.");
  });

  it("refuses creation, edition and cancellation to allies and visitors", async () => {
    const { event } = await createTestEvent(staff);
    const input = { title: "X", kind: "other", start: "2030-05-01T10:00",
      end: "2030-05-01T11:00" };

    for (const [ctx, code] of [[ally, "forbidden"],
      [t.ctx(visitor), "unauthenticated"]] as const) {
      await expect(createEvent(ctx, input)).rejects.toMatchObject({ code });
      await expect(updateEvent(ctx, { ...input, id: event.id,
        version: event.version })).rejects.toMatchObject({ code });
      await expect(cancelEvent(ctx, { id: event.id })).rejects
        .toMatchObject({ code });
    }
  });

  it("refuses an edit made from an outdated version", async () => {
    const { event } = await createTestEvent(staff);
    const input = { title: "Nouveau titre", kind: "meetup",
      start: "2030-03-12T17:30", end: "2030-03-12T19:00" };
    await updateEvent(staff, { ...input, id: event.id, version: event.version });

    await expect(updateEvent(staff, { ...input, title: "Autre",
      id: event.id, version: event.version })).rejects.toMatchObject({
      code: "conflict" });
  });

  it("keeps registrations when the rule changes and refuses to drop "
    + "a registered date", async () => {
    const input = { title: "Permanence", kind: "office_hours",
      start: "2030-01-08T10:00", end: "2030-01-08T11:00",
      rrule: "FREQ=MONTHLY;BYDAY=2TU;COUNT=4", capacity: "10" };
    const { event, occurrences: dates } = await createTestEvent(staff, input);
    await registerForOccurrence(ally, { occurrenceId: dates[1].id });

    // Half an hour later: the same days, times moved, registration kept.
    const moved = await updateEvent(staff, { ...input, id: event.id,
      version: event.version, start: "2030-01-08T10:30",
      end: "2030-01-08T11:30" });
    const after = await datesOf(event.id);
    expect(after.map((d) => d.id)).toEqual(dates.map((d) => d.id));
    expect(after[1].startsAt.toISOString()).toBe("2030-02-12T09:30:00.000Z");
    const [mail] = await t.database.db.select().from(outbox)
      .where(eq(outbox.subject, "Horaire modifié : Permanence"));
    expect(mail).toBeDefined();

    // Two dates only: February has a registration.
    const shorter = { ...input, id: event.id, version: moved.version,
      start: "2030-01-08T10:30", end: "2030-01-08T11:30",
      rrule: "FREQ=MONTHLY;BYDAY=2TU;COUNT=1" };
    await expect(updateEvent(staff, shorter)).rejects.toMatchObject({
      code: "invalid", message: expect.stringContaining("2030-02-12") });

    await updateEvent(staff, { ...shorter, cancelRemoved: "on" });
    const last = await datesOf(event.id);
    expect(last.map((d) => [d.id, d.cancelled])).toEqual([
      [dates[0].id, false], [dates[1].id, true]]);
  });

  it("refuses a capacity below the places already confirmed", async () => {
    const input = { title: "Formation", kind: "training",
      start: "2030-04-01T09:00", end: "2030-04-01T12:00", capacity: "2" };
    const { event, occurrences: [date] } = await createTestEvent(staff, input);
    await registerForOccurrence(ally, { occurrenceId: date.id });
    await registerForOccurrence(t.ctx(actorOf(await createPerson(
      t.database.db))), { occurrenceId: date.id });

    await expect(updateEvent(staff, { ...input, capacity: "1",
      id: event.id, version: event.version })).rejects.toMatchObject({
      fields: { capacity: "Au moins 2 places." } });
  });

  it("promotes the waiting list when the capacity grows", async () => {
    const input = { title: "Atelier", kind: "other",
      start: "2030-04-02T09:00", end: "2030-04-02T12:00", capacity: "1" };
    const { event, occurrences: [date] } = await createTestEvent(staff, input);
    const other = t.ctx(actorOf(await createPerson(t.database.db)));
    await registerForOccurrence(ally, { occurrenceId: date.id });
    expect((await registerForOccurrence(other, { occurrenceId: date.id }))
      .status).toBe("waiting");

    await updateEvent(staff, { ...input, capacity: "2", id: event.id,
      version: event.version });

    const rows = await t.database.db.select().from(registrations)
      .where(eq(registrations.occurrenceId, date.id));
    expect(rows.map((r) => r.status)).toEqual(["confirmed", "confirmed"]);
  });

  it("cancels an event and tells its registrants", async () => {
    const { event, occurrences: [date] } = await createTestEvent(staff,
      { title: "Session annulée" });
    await registerForOccurrence(ally, { occurrenceId: date.id });

    await cancelEvent(staff, { id: event.id });

    expect((await datesOf(event.id))[0].cancelled).toBe(true);
    const mails = await t.database.db.select().from(outbox)
      .where(eq(outbox.subject, "Annulé : Session annulée"));
    expect(mails).toHaveLength(1);
  });

  it("cancels one date of a series only, for staff", async () => {
    const { occurrences: dates } = await createTestEvent(staff, {
      rrule: "FREQ=WEEKLY;COUNT=3" });

    await expect(cancelOccurrence(ally, { occurrenceId: dates[1].id }))
      .rejects.toMatchObject({ code: "forbidden" });
    await cancelOccurrence(staff, { occurrenceId: dates[1].id });

    const after = await datesOf(dates[0].eventId);
    expect(after.map((d) => d.cancelled)).toEqual([false, true, false]);
  });
});
