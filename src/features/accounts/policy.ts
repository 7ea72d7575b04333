import type { Actor } from "../../domain/context.ts";
import { forbidden, unauthenticated } from "../../domain/errors.ts";

// Rights over accounts. Staff run the alliance's accounts; everyone else
// acts only on their own.

/** Accept or refuse join requests, invite, change roles, disable. */
export const canManageAccounts = (actor: Actor): boolean =>
  actor.kind === "person" && actor.role === "staff";

/** A person changes their own password, nobody else's. */
export const canChangePassword = (actor: Actor, personId: string): boolean =>
  actor.kind === "person" && actor.id === personId;

/**
 * Staff may not take away their own staff role nor disable themselves:
 * whoever changes roles stays able to, so the alliance keeps its staff.
 */
export const canDemoteOrDisable = (actor: Actor, personId: string): boolean =>
  canManageAccounts(actor) && actor.kind === "person" && actor.id !== personId;

/** The refusal to throw: sign in first, or you may not. */
export const denied = (actor: Actor) =>
  actor.kind === "visitor" ? unauthenticated() : forbidden();
