import { describe, expect, it } from "vitest";
import {
  parisToInstant, parseParisLocal, readParisLocal, toParisLocal,
} from "./time.ts";

describe("Paris wall-clock times", () => {
  it("reads an ordinary time in winter and in summer", () => {
    expect(parseParisLocal("2027-01-15T10:00")?.toISOString())
      .toBe("2027-01-15T09:00:00.000Z");
    expect(parseParisLocal("2027-07-15T10:00")?.toISOString())
      .toBe("2027-07-15T08:00:00.000Z");
  });

  it("refuses a time the clocks skip in spring instead of moving it", () => {
    expect(readParisLocal("2027-03-28T02:30")).toEqual({ problem: "gap" });
    expect(parseParisLocal("2027-03-28T02:30")).toBeNull();
    expect(toParisLocal(parseParisLocal("2027-03-28T03:00")!))
      .toBe("2027-03-28T03:00");
  });

  it("takes the first of the two autumn hours", () => {
    // 02:30 happens in summer time (UTC+2) then again in winter time.
    expect(parseParisLocal("2027-10-31T02:30")?.toISOString())
      .toBe("2027-10-31T00:30:00.000Z");
    expect(parseParisLocal("2027-10-31T03:30")?.toISOString())
      .toBe("2027-10-31T02:30:00.000Z");
  });

  it("refuses days and times that do not exist on the calendar", () => {
    expect(readParisLocal("2027-02-30T10:00")).toEqual({ problem: "date" });
    expect(readParisLocal("2027-13-01")).toEqual({ problem: "date" });
    expect(readParisLocal("2027-04-31")).toEqual({ problem: "date" });
    expect(readParisLocal("2027-01-01T24:00")).toEqual({ problem: "date" });
    expect(readParisLocal("demain")).toEqual({ problem: "format" });
    expect(parseParisLocal("2028-02-29")).not.toBeNull();
  });

  it("moves a skipped time forward and rolls over days past the month", () => {
    expect(toParisLocal(parisToInstant(2027, 3, 28, 2, 30)))
      .toBe("2027-03-28T03:30");
    expect(toParisLocal(parisToInstant(2026, 12, 32))).toBe("2027-01-01T00:00");
  });
});
