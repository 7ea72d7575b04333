import type { Actor } from "../../domain/context.ts";
import type { InitiativeStatus } from "./tables.ts";

// Rights over initiatives. `isCarrier` says whether the actor is a member
// of one of the organisations that carry the initiative.

export const canModerateInitiatives = (actor: Actor) =>
  actor.kind === "person" && actor.role === "staff";

/** An ally creates only for organisations they belong to; staff for all. */
export function canCreateInitiativeFor(
  actor: Actor, memberOf: string[], carrierIds: string[],
): boolean {
  if (actor.kind !== "person") return false;
  if (actor.role === "staff") return true;

  return carrierIds.length > 0 && carrierIds.every((id) => memberOf.includes(id));
}

export function canEditInitiative(actor: Actor, isCarrier: boolean) {
  return canModerateInitiatives(actor) || (actor.kind === "person" && isCarrier);
}

/** Drafts and submitted initiatives are seen by their carriers and staff. */
export function canSeeInitiative(
  actor: Actor, status: InitiativeStatus, isCarrier: boolean,
) {
  return status === "published" || status === "archived"
    || canEditInitiative(actor, isCarrier);
}

/** Pooling suggestions are shown to signed-in allies and staff. */
export const canSeeSuggestions = (actor: Actor) => actor.kind === "person";

/** "Let's talk" and "not relevant" are decided by carriers and staff. */
export const canDecidePooling = canEditInitiative;
