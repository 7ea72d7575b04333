const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for an id as the database makes them. Ids come from addresses and
 * forms: anything else names nothing, and is answered so before it
 * reaches a query that would fail on it.
 */
export const isUuid = (value: string) => UUID.test(value);
