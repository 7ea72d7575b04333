import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson } from "../../../test/factories.ts";
import { cancelOccurrence } from "./events.ts";
import { createTestEvent } from "./fixtures.ts";

describe("the public feed", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("answers 304 to a calendar program that already has it", async () => {
    const first = await t.app.inject("/agenda.ics");
    const again = await t.app.inject({ url: "/agenda.ics",
      headers: { "if-none-match": first.headers.etag as string } });

    expect(first.headers.etag).toBeTruthy();
    expect(again.statusCode).toBe(304);
  });

  it("shows a new event and a cancelled date at once, never a stale copy", async () => {
    const staff = t.ctx(actorOf(await createPerson(t.database.db,
      { role: "staff" })));
    await t.app.inject("/agenda.ics");

    const { occurrences } = await createTestEvent(staff,
      { title: "Session des fondamentaux", kind: "fundamentals" });
    const withEvent = await t.app.inject("/agenda.ics");
    await cancelOccurrence(staff, { occurrenceId: occurrences[0].id });
    const withCancel = await t.app.inject("/agenda.ics");

    expect(withEvent.body).toContain("SUMMARY:Session des fondamentaux");
    expect(withCancel.body).toContain("STATUS:CANCELLED");
    expect(withCancel.headers.etag).not.toBe(withEvent.headers.etag);
  });
});
