import type { DomainError } from "../../domain/errors.ts";
import type { FormErrors, FormValues } from "./views.tsx";

type Body = Record<string, string | string[] | undefined>;

/** Form fields as strings (the last value when a field is repeated). */
export const formValues = (body: unknown): FormValues => {
  // Keyed by the names the form sends: without a prototype, a field named
  // "constructor" or "__proto__" is a field like any other, and a field
  // that was not sent reads as missing whatever its name.
  const values: FormValues = Object.create(null);
  for (const [key, value] of Object.entries((body ?? {}) as Body)) {
    values[key] = Array.isArray(value) ? value[value.length - 1] ?? ""
      : value ?? "";
  }

  return values;
};

/** What a refused input shows on its form: the message, field by field. */
export const errorsOf = (error: DomainError): FormErrors =>
  ({ message: error.message, fields: error.fields });
