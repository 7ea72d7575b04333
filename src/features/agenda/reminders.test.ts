import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { like } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson } from "../../../test/factories.ts";
import type { Ctx } from "../../domain/context.ts";
import { outbox } from "../../mail/tables.ts";
import { createTestEvent } from "./fixtures.ts";
import { registerForOccurrence } from "./registrations.ts";
import { queueReminders } from "./reminders.ts";

describe("reminders the day before", () => {
  let t: TestApp;
  let staff: Ctx;
  // Monday 11 March 2030, 15:00 in Paris.
  const now = () => new Date("2030-03-11T14:00:00Z");
  beforeAll(async () => {
    t = await createTestApp({}, now);
    staff = t.ctx(actorOf(await createPerson(t.database.db, { role: "staff" })));
  });
  afterAll(async () => { await t.close(); });

  it("reminds confirmed people of tomorrow's dates, once", async () => {
    const ally = t.ctx(actorOf(await createPerson(t.database.db)));
    const waiting = t.ctx(actorOf(await createPerson(t.database.db)));
    const { occurrences: [tomorrow] } = await createTestEvent(staff,
      { title: "Demain", capacity: "1",
        start: "2030-03-12T09:00", end: "2030-03-12T10:00" });
    const { occurrences: [later] } = await createTestEvent(staff,
      { title: "Plus tard", start: "2030-03-14T09:00",
        end: "2030-03-14T10:00" });
    await registerForOccurrence(ally, { occurrenceId: tomorrow.id });
    await registerForOccurrence(waiting, { occurrenceId: tomorrow.id });
    await registerForOccurrence(ally, { occurrenceId: later.id });

    const first = await queueReminders(staff);
    const second = await queueReminders(staff);

    expect([first, second]).toEqual([1, 0]);
    const mails = await t.database.db.select().from(outbox)
      .where(like(outbox.subject, "Rappel%"));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Rappel : Demain demain");
    expect(mails[0].dedupeKey).toMatch(/^reminder:/);
  });

  it("never writes a reminder twice, even from two nodes at once", async () => {
    const ally = t.ctx(actorOf(await createPerson(t.database.db)));
    const { occurrences: [date] } = await createTestEvent(staff,
      { title: "Concurrence", start: "2030-03-12T18:00",
        end: "2030-03-12T19:00" });
    await registerForOccurrence(ally, { occurrenceId: date.id });

    await Promise.allSettled([queueReminders(staff), queueReminders(staff)]);

    const mails = await t.database.db.select().from(outbox)
      .where(like(outbox.subject, "Rappel : Concurrence%"));
    expect(mails).toHaveLength(1);
  });

  it("is a staff job: an ally cannot run it", async () => {
    const ally = t.ctx(actorOf(await createPerson(t.database.db)));

    await expect(queueReminders(ally)).rejects.toMatchObject({
      code: "forbidden" });
  });
});
