import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import type { Ctx } from "../../domain/context.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { outbox } from "../../mail/tables.ts";
import { formatPlacesLeft } from "../../web/format.ts";
import { createTestEvent } from "./fixtures.ts";
import { cancelRegistration, registerForOccurrence } from "./registrations.ts";
import { occurrences, registrations } from "./tables.ts";

const log = pino({ level: "silent" });

describe("registration for a date", () => {
  let t: TestApp;
  let staff: Ctx;
  const allyCtx = async () => t.ctx(actorOf(await createPerson(t.database.db)));
  const countOf = async (occurrenceId: string) => {
    const rows = await t.database.db.select().from(registrations)
      .where(eq(registrations.occurrenceId, occurrenceId));
    const [occurrence] = await t.database.db.select().from(occurrences)
      .where(eq(occurrences.id, occurrenceId));

    return {
      confirmed: rows.filter((r) => r.status === "confirmed").length,
      waiting: rows.filter((r) => r.status === "waiting").length,
      counter: occurrence.confirmedCount,
      left: (occurrence.capacity ?? 0) - occurrence.confirmedCount,
    };
  };
  beforeAll(async () => {
    t = await createTestApp();
    staff = t.ctx(actorOf(await createPerson(t.database.db, { role: "staff" })));
  });
  afterAll(async () => { await t.close(); });

  it("gives 5 places out of 20 simultaneous registrations, 15 wait", async () => {
    const { occurrences: [date] } = await createTestEvent(staff,
      { capacity: "5" });
    const people = await Promise.all(Array.from({ length: 20 }, allyCtx));

    const results = await Promise.all(people.map((ctx) =>
      registerForOccurrence(ctx, { occurrenceId: date.id })));

    expect(results.filter((r) => r.status === "confirmed")).toHaveLength(5);
    expect(await countOf(date.id)).toEqual({ confirmed: 5, waiting: 15,
      counter: 5, left: 0 });
    expect(formatPlacesLeft(0)).toBe("Complet");
  });

  it("keeps one registration when a person registers twice at once", async () => {
    const { occurrences: [date] } = await createTestEvent(staff,
      { capacity: "3" });
    const ally = await allyCtx();

    const results = await Promise.allSettled([1, 2, 3].map(() =>
      registerForOccurrence(ally, { occurrenceId: date.id })));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as
      PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "conflict",
      message: expect.stringContaining("déjà inscrit·e") });
    expect(await countOf(date.id)).toMatchObject({ confirmed: 1, counter: 1 });
  });

  it("gives a freed place to the first person waiting and tells them", async () => {
    const smtp = await startSmtpServer();
    try {
      const { occurrences: [date] } = await createTestEvent(staff,
        { capacity: "1", title: "Formation à la base" });
      const [first, second, third] = [await allyCtx(), await allyCtx(),
        await allyCtx()];
      await registerForOccurrence(first, { occurrenceId: date.id });
      await registerForOccurrence(second, { occurrenceId: date.id });
      await registerForOccurrence(third, { occurrenceId: date.id });

      await cancelRegistration(first, { occurrenceId: date.id });

      const rows = await t.database.db.select().from(registrations)
        .where(eq(registrations.occurrenceId, date.id));
      const statusOf = (ctx: Ctx) => rows.find((r) =>
        ctx.actor.kind === "person" && r.personId === ctx.actor.id)?.status;
      expect([statusOf(first), statusOf(second), statusOf(third)])
        .toEqual(["cancelled", "confirmed", "waiting"]);
      expect(await countOf(date.id)).toMatchObject({ counter: 1, left: 0 });

      await drainOutbox(t.database.db, smtpTransport({ ...t.config,
        smtpUrl: smtp.url }), log);
      const promoted = smtp.messages.find((m) =>
        m.subject === "Place confirmée : Formation à la base");
      expect(promoted?.to).toEqual([(second.actor as any).email]);
      expect(promoted?.attachments[0].contentType).toBe("text/calendar");
      expect(promoted?.attachments[0].content).toContain("BEGIN:VEVENT");
    } finally {
      await smtp.close();
    }
  });

  it("confirms by e-mail with the date attached as a calendar file", async () => {
    const { occurrences: [date] } = await createTestEvent(staff,
      { title: "Permanence de mars", videoUrl: "https://visio.example.org/p" });
    const ally = await allyCtx();

    await registerForOccurrence(ally, { occurrenceId: date.id });

    const [mail] = await t.database.db.select().from(outbox).where(
      eq(outbox.subject, "Inscription confirmée : Permanence de mars"));
    expect(mail.text).toContain("https://visio.example.org/p");
    expect(mail.attachments[0].content).toContain(
      "DTSTART;TZID=Europe/Paris:20300312T173000");
  });

  it("reuses a cancelled registration when the person comes back", async () => {
    const { occurrences: [date] } = await createTestEvent(staff);
    const ally = await allyCtx();
    await registerForOccurrence(ally, { occurrenceId: date.id });
    await cancelRegistration(ally, { occurrenceId: date.id });

    const again = await registerForOccurrence(ally, { occurrenceId: date.id });

    expect(again.status).toBe("confirmed");
    expect(await countOf(date.id)).toMatchObject({ confirmed: 1, counter: 1 });
  });

  it("lets anyone cancel even when the date is full, never below zero", async () => {
    const { occurrences: [date] } = await createTestEvent(staff,
      { capacity: "1" });
    const [a, b] = [await allyCtx(), await allyCtx()];
    await registerForOccurrence(a, { occurrenceId: date.id });
    await registerForOccurrence(b, { occurrenceId: date.id });

    await cancelRegistration(b, { occurrenceId: date.id });
    await cancelRegistration(a, { occurrenceId: date.id });
    await expect(cancelRegistration(a, { occurrenceId: date.id })).rejects
      .toMatchObject({ code: "not_found" });

    const counts = await countOf(date.id);
    expect(counts).toMatchObject({ confirmed: 0, waiting: 0, counter: 0 });
    expect(formatPlacesLeft(counts.left)).toBe("1 place restante");
  });

  it("refuses visitors, cancelled, past and not-yet-open dates", async () => {
    const ally = await allyCtx();
    const { occurrences: [date] } = await createTestEvent(staff);
    const { occurrences: [past] } = await createTestEvent(staff,
      { start: "2020-01-10T10:00", end: "2020-01-10T11:00" });
    const { occurrences: [later] } = await createTestEvent(staff,
      { registrationOpens: "2029-12-01T09:00" });
    const { event, occurrences: [cancelled] } = await createTestEvent(staff);
    const { cancelEvent } = await import("./events.ts");
    await cancelEvent(staff, { id: event.id });

    await expect(registerForOccurrence(t.ctx(visitor),
      { occurrenceId: date.id })).rejects.toMatchObject({
      code: "unauthenticated" });
    await expect(registerForOccurrence(ally, { occurrenceId: past.id }))
      .rejects.toMatchObject({ message: expect.stringContaining("passée") });
    await expect(registerForOccurrence(ally, { occurrenceId: cancelled.id }))
      .rejects.toMatchObject({ message: expect.stringContaining("annulée") });
    const early = { ...ally, now: () => new Date("2029-11-01T00:00:00Z") };
    await expect(registerForOccurrence(early, { occurrenceId: later.id }))
      .rejects.toMatchObject({ message: expect.stringContaining("ouvriront") });
  });

  it("refuses to cancel someone else's place unless staff", async () => {
    const { occurrences: [date] } = await createTestEvent(staff);
    const [owner, other] = [await allyCtx(), await allyCtx()];
    await registerForOccurrence(owner, { occurrenceId: date.id });
    const ownerId = (owner.actor as any).id;

    await expect(cancelRegistration(other, { occurrenceId: date.id,
      personId: ownerId })).rejects.toMatchObject({ code: "forbidden" });
    await cancelRegistration(staff, { occurrenceId: date.id,
      personId: ownerId });

    const [row] = await t.database.db.select().from(registrations).where(and(
      eq(registrations.occurrenceId, date.id),
      eq(registrations.personId, ownerId)));
    expect(row.status).toBe("cancelled");
  });

  it("shows places left without ever going negative", () => {
    expect([3, 1, 0, -2].map(formatPlacesLeft)).toEqual([
      "3 places restantes", "1 place restante", "Complet", "Complet"]);
  });
});
