import { isStaff, type Actor } from "../../domain/context.ts";

/** Labels, collectives, proposals, closings and withdrawals: staff. */
export const canConfigureLabels = (actor: Actor) => isStaff(actor);
export const canManageCollectives = (actor: Actor) => isStaff(actor);
export const canProposeForLabel = (actor: Actor) => isStaff(actor);
export const canDecideLabel = (actor: Actor) => isStaff(actor);
export const canWithdrawLabel = (actor: Actor) => isStaff(actor);
