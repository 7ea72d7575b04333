/**
 * The value a plain object holds under a key that comes from outside (an
 * address, a form, an imported file). A plain lookup would also find what
 * every object inherits ("constructor", "toString", "__proto__") and hand
 * back a function where a label or a setting was expected.
 */
export const ownValue = <T>(
  record: Readonly<Record<string, T>>, key: string,
): T | undefined => Object.hasOwn(record, key) ? record[key] : undefined;
