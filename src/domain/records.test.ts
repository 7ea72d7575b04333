import { describe, expect, it } from "vitest";
import { ownValue } from "./records.ts";

describe("looking up a key from outside", () => {
  const LABELS: Record<string, string> = { fr: "français" };

  it("finds what the object holds, not what every object inherits", () => {
    expect(ownValue(LABELS, "fr")).toBe("français");
    for (const key of ["__proto__", "constructor", "toString", "valueOf"]) {
      expect(ownValue(LABELS, key), key).toBeUndefined();
    }
  });
});
