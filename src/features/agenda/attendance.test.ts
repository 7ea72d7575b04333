import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import type { Ctx } from "../../domain/context.ts";
import { findParticipationHistory, recordAttendance } from "./attendance.ts";
import { createOrganisation, createTestEvent } from "./fixtures.ts";
import { registerForOccurrence } from "./registrations.ts";

describe("attendance and participation history", () => {
  let t: TestApp;
  let staff: Ctx;
  let clock = new Date("2030-03-01T00:00:00Z");
  beforeAll(async () => {
    t = await createTestApp({}, () => clock);
    staff = t.ctx(actorOf(await createPerson(t.database.db, { role: "staff" })));
  });
  afterAll(async () => { await t.close(); });

  it("records who came, replaces the sheet, and shows each history", async () => {
    const [anna, bruno, carla] = await Promise.all([1, 2, 3].map(() =>
      createPerson(t.database.db)));
    const organisation = await createOrganisation(t.database.db,
      { memberIds: [anna.id, bruno.id] });
    const { occurrences: [date] } = await createTestEvent(staff,
      { title: "Session des fondamentaux", kind: "fundamentals" });
    await registerForOccurrence(t.ctx(actorOf(anna)), { occurrenceId: date.id });

    await expect(recordAttendance(staff, { occurrenceId: date.id,
      present: [{ personId: anna.id }] })).rejects.toMatchObject({
      code: "invalid", message: expect.stringContaining("commencée") });

    clock = new Date("2030-03-13T00:00:00Z");
    await recordAttendance(staff, { occurrenceId: date.id, present: [
      { personId: anna.id }, { personId: carla.id, newToAlliance: true }] });
    await recordAttendance(staff, { occurrenceId: date.id, present: [
      { personId: anna.id }, { personId: bruno.id, newToAlliance: true }] });

    const ofBruno = await findParticipationHistory(
      t.ctx(actorOf(bruno)), { personId: bruno.id });
    expect(ofBruno.items).toMatchObject([{ title: "Session des fondamentaux",
      kind: "fundamentals", newToAlliance: true }]);
    const ofCarla = await findParticipationHistory(staff,
      { personId: carla.id });
    expect(ofCarla.items).toEqual([]);
    const ofOrganisation = await findParticipationHistory(
      t.ctx(actorOf(anna)), { organisationId: organisation.id });
    expect(ofOrganisation.items.map((i) => i.personId).sort())
      .toEqual([anna.id, bruno.id].sort());

    await expect(findParticipationHistory(t.ctx(actorOf(carla)),
      { personId: anna.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(findParticipationHistory(t.ctx(actorOf(carla)),
      { organisationId: organisation.id })).rejects.toMatchObject({
      code: "forbidden" });
    await expect(findParticipationHistory(t.ctx(visitor),
      { personId: anna.id })).rejects.toMatchObject({
      code: "unauthenticated" });
  });

  it("refuses the sheet to allies and visitors, and unknown people", async () => {
    const ally = await createPerson(t.database.db);
    const { occurrences: [date] } = await createTestEvent(staff,
      { start: "2030-03-10T10:00", end: "2030-03-10T11:00" });
    const input = { occurrenceId: date.id, present: [{ personId: ally.id }] };

    await expect(recordAttendance(t.ctx(actorOf(ally)), input)).rejects
      .toMatchObject({ code: "forbidden" });
    await expect(recordAttendance(t.ctx(visitor), input)).rejects
      .toMatchObject({ code: "unauthenticated" });
    await expect(recordAttendance(staff, { occurrenceId: date.id, present: [
      { personId: "00000000-0000-4000-8000-000000000001" }] })).rejects
      .toMatchObject({ code: "invalid" });
  });
});
