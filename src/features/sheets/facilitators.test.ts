import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson } from "../../../test/factories.ts";
import { people } from "../accounts/tables.ts";
import { recordAttendance } from "../agenda/attendance.ts";
import { createTestEvent } from "../agenda/fixtures.ts";
import {
  findAvailableFacilitators, findFacilitators, findTrainingAttendees,
  findTrainingRequests, recordTrainingCompletions, requestTraining,
  updateAvailability,
} from "./facilitators.ts";
import { refusal, sheetAt, sheetScene } from "./test-fixtures.ts";

describe("facilitators and their training", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  it("lists requests to be trained with whether the person attended a "
    + "training, and records completions from attendance only", async () => {
    const db = t.database.db;
    const staff = t.ctx(actorOf(await createPerson(db, { role: "staff" })));
    const trained = await createPerson(db, { fullName: "Ana Présente" });
    const absent = await createPerson(db, { fullName: "Bo Absent" });
    const { occurrences } = await createTestEvent(staff, {
      title: "Formation au cycle de médiation", kind: "training",
      start: "2024-03-12T09:00", end: "2024-03-12T17:00" });
    await recordAttendance(staff, { occurrenceId: occurrences[0].id,
      present: [{ personId: trained.id }] });
    await requestTraining(t.ctx(actorOf(trained)), { message: "Volontiers" });
    await requestTraining(t.ctx(actorOf(trained)), {});
    await requestTraining(t.ctx(actorOf(absent)), {});

    const requests = await findTrainingRequests(staff);
    expect(requests.map((r) => [r.fullName, r.hasAttendedTraining]))
      .toEqual([["Ana Présente", true], ["Bo Absent", false]]);
    expect((await refusal(findTrainingRequests(t.ctx(actorOf(absent)))))
      .code).toBe("forbidden");

    expect((await refusal(recordTrainingCompletions(staff, {
      occurrenceId: occurrences[0].id, personIds: [absent.id],
      makeFacilitators: true }))).code).toBe("invalid");
    expect((await refusal(recordTrainingCompletions(t.ctx(actorOf(trained)),
      { occurrenceId: occurrences[0].id, personIds: [trained.id],
        makeFacilitators: true }))).code).toBe("forbidden");
    await recordTrainingCompletions(staff, { occurrenceId: occurrences[0].id,
      personIds: [trained.id], makeFacilitators: true });

    const [row] = await db.select().from(people)
      .where(eq(people.id, trained.id));
    expect(row.isFacilitator).toBe(true);
    const sheet = await findTrainingAttendees(staff, occurrences[0].id);
    expect(sheet.attendees.map((a) => [a.fullName, a.completed]))
      .toEqual([["Ana Présente", true]]);
    expect((await findTrainingRequests(staff)).map((r) => r.fullName))
      .toEqual(["Bo Absent"]);
  });

  it("lets facilitators only state their availability", async () => {
    const s = await sheetScene(t);
    expect((await refusal(updateAvailability(s.as(s.other),
      { available: true }))).code).toBe("forbidden");
    await updateAvailability(s.as(s.facilitator), { available: true,
      themes: "Énergie\nAlimentation", languages: "français; anglais" });

    const listed = await findAvailableFacilitators(s.as(s.other));
    expect(listed.find((f) => f.id === s.facilitator.id)).toMatchObject({
      themes: ["Énergie", "Alimentation"], languages: ["français", "anglais"],
    });
    await updateAvailability(s.as(s.facilitator), { available: false });
    expect((await findAvailableFacilitators(s.as(s.other)))
      .some((f) => f.id === s.facilitator.id)).toBe(false);
  });

  it("counts the sheets each facilitator helped write, published or not",
    async () => {
      const s = await sheetScene(t);
      await sheetAt(s, "draft", { title: "Une" });
      await sheetAt(s, "submitted", { title: "Deux" });
      await sheetAt(s, "published", { title: "Trois" });

      const rows = await findFacilitators(s.as(s.staff));
      expect(rows.find((r) => r.id === s.facilitator.id)).toMatchObject({
        sheets: 3, publishedSheets: 1, trainings: 0 });
    });
});
