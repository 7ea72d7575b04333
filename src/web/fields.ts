/**
 * One text from a form field as the body parser hands it over: a field
 * sent twice arrives as an array, and a JSON body may hold anything. The
 * first text wins; anything else reads as empty, for the use case to
 * refuse in French like any missing field.
 */
export const textOf = (value: unknown): string =>
  typeof value === "string" ? value
    : Array.isArray(value) && typeof value[0] === "string" ? value[0] : "";
