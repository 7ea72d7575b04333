import { describe, expect, it } from "vitest";
import { formValues } from "./route-forms.ts";

describe("directory form values", () => {
  it("keeps fields named like what every object inherits, and nothing else", () => {
    const body = JSON.parse('{"name": "Cerdd", "__proto__": "x", '
      + '"constructor": ["a", "b"]}');
    const values = formValues(body);

    expect(values.name).toBe("Cerdd");
    expect(values.constructor).toBe("b");
    expect(Object.keys(values)).toEqual(["name", "__proto__", "constructor"]);
    expect(formValues({}).toString).toBeUndefined();
    expect(formValues({}).hasOwnProperty).toBeUndefined();
  });
});
