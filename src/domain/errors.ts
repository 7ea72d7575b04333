/**
 * The closed set of failures a use case may report. The web layer maps
 * each code to an HTTP status in one place; messages are in French because
 * they are shown to users as they are.
 */
export type ErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited";

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Field name → French message, for forms that re-render with errors. */
  readonly fields: Record<string, string>;

  constructor(code: ErrorCode, message: string, fields = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.fields = fields;
  }
}

export const invalid = (message: string, fields = {}) =>
  new DomainError("invalid", message, fields);
export const forbidden = (message = "Vous n'avez pas le droit de faire cela.") =>
  new DomainError("forbidden", message);
export const notFound = (message = "Page introuvable.") =>
  new DomainError("not_found", message);
export const conflict = (message: string) =>
  new DomainError("conflict", message);
export const unauthenticated = (message = "Veuillez vous connecter.") =>
  new DomainError("unauthenticated", message);

/** True when a database error is a violation of the named constraint kind. */
export function isPgError(error: unknown, code: string): boolean {
  let current: any = error;
  while (current) {
    if (current.code === code) return true;
    current = current.cause;
  }
  return false;
}

export const UNIQUE_VIOLATION = "23505";
export const CHECK_VIOLATION = "23514";
export const FOREIGN_KEY_VIOLATION = "23503";

/** Name of the violated constraint, when the driver reports it. */
export function pgConstraint(error: unknown): string | undefined {
  let current: any = error;
  while (current) {
    if (current.constraint) return current.constraint;
    current = current.cause;
  }
  return undefined;
}
