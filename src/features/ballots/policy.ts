import { isStaff, type Actor } from "../../domain/context.ts";

/** Ballots are opened and closed by staff (or by the closing job). */
export const canOpenBallot = (actor: Actor) => isStaff(actor);
export const canCloseBallot = (actor: Actor) => isStaff(actor);

/**
 * Staff follow every ballot, but see its results only once it is closed,
 * like everyone else.
 */
export const canFollowBallot = (actor: Actor) => isStaff(actor);
