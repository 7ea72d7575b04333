import { isStaff, type Actor } from "../../domain/context.ts";

/** The trail names who voted when: staff only. */
export const canReadAudit = (actor: Actor) => isStaff(actor);
