import { isMember, isStaff, type Actor } from "../../domain/context.ts";
import type { EventVisibility } from "./tables.ts";

/** Staff plan the agenda: create, edit, cancel, import, take attendance. */
export const canManageEvents = (actor: Actor) => isStaff(actor);

/** Allies-only events do not exist for visitors, anywhere. */
export const canSeeEvent = (
  actor: Actor, event: { visibility: EventVisibility },
) => event.visibility === "public" || isMember(actor);

/** Allies and staff register; visitors are asked to sign in. */
export const canRegister = (actor: Actor) => isMember(actor);

/** A person's participation history: staff and the person themselves. */
export const canSeePersonParticipation = (actor: Actor, personId: string) =>
  isStaff(actor) || (actor.kind === "person" && actor.id === personId);

/** An organisation's participation history: staff and its members. */
export const canSeeOrganisationParticipation = (
  actor: Actor, memberIds: string[],
) => isStaff(actor) || (actor.kind === "person" && memberIds.includes(actor.id));
