import { DomainError, notFound } from "../../domain/errors.ts";
import { isUuid } from "../../domain/ids.ts";

// What the agenda's pages read from forms and paths. A form field comes
// untyped: missing, given once, or given several times.


/** An id from the path; a malformed one is not found, never queried. */
export const uuid = (value: string) => {
  if (!isUuid(value)) throw notFound();

  return value;
};

export type Form = Record<string, string | string[] | undefined>;
export const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) ?? "";
export const many = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []);

/** Errors shown again on the form that was sent, not as an error page. */
export const formError = (error: unknown) => error instanceof DomainError
  && (error.code === "invalid" || error.code === "conflict");
