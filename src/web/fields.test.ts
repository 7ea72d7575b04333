import { describe, expect, it } from "vitest";
import { textOf } from "./fields.ts";

describe("reading one text from a form field", () => {
  it("takes the text, the first of several, and nothing else", () => {
    expect(textOf("Doublon")).toBe("Doublon");
    expect(textOf(["premier", "second"])).toBe("premier");
    expect(textOf({ a: 1 })).toBe("");
    expect(textOf([{ a: 1 }])).toBe("");
    expect(textOf(42)).toBe("");
    expect(textOf(undefined)).toBe("");
  });
});
