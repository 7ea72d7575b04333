import type { SQL } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";

// Other features add filters and badges to initiatives without this
// feature knowing them: labels register "label" here, for instance.

export interface InitiativeFilter {
  /** Query-string parameter of the list page and of the API. */
  param: string;
  /** French label of the filter on the list page. */
  label: string;
  /** Choices shown in the filter's select. */
  options(ctx: Ctx): Promise<{ value: string; label: string }[]>;
  /** A condition on the initiative, aliased `i` in the query. */
  where(value: string): SQL;
}

/** Short French texts shown on an initiative: "Label … (2026)". */
export type InitiativeBadges = (
  ctx: Ctx, initiativeIds: string[],
) => Promise<Map<string, string[]>>;

const filters: InitiativeFilter[] = [];
const badgeSources: InitiativeBadges[] = [];

/** Adds a filter to the initiatives list and API; last one wins a param. */
export function registerInitiativeFilter(filter: InitiativeFilter) {
  const index = filters.findIndex((f) => f.param === filter.param);
  if (index >= 0) filters.splice(index, 1);
  filters.push(filter);
}

/** Adds badges shown on initiative cards, pages, and in the API. */
export function registerInitiativeBadges(source: InitiativeBadges) {
  badgeSources.push(source);
}

export const initiativeFilters = (): readonly InitiativeFilter[] => filters;

export async function findInitiativeBadges(
  ctx: Ctx, ids: string[],
): Promise<Map<string, string[]>> {
  const merged = new Map<string, string[]>();
  if (ids.length === 0) return merged;
  for (const source of badgeSources) {
    for (const [id, badges] of await source(ctx, ids)) {
      merged.set(id, [...(merged.get(id) ?? []), ...badges]);
    }
  }

  return merged;
}
