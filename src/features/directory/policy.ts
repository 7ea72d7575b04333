import type { Visibility } from "../../db/columns.ts";
import { isStaff, type Actor } from "../../domain/context.ts";

/** The contact visibilities an actor may read. */
export function visibleLevels(actor: Actor): Visibility[] {
  if (actor.kind !== "person") return ["public"];
  if (actor.role === "staff") return ["public", "allies", "staff"];

  return ["public", "allies"];
}

export const canSee = (actor: Actor, visibility: string) =>
  (visibleLevels(actor) as string[]).includes(visibility);

export const canCreateOrganisation = (actor: Actor) => isStaff(actor);

/** Staff edit any organisation; an ally edits those they act for. */
export const canEditOrganisation = (actor: Actor, isMemberOf: boolean) =>
  isStaff(actor) || (actor.kind === "person" && isMemberOf);

/** Charter facts and internal notes are the association's to record. */
export const canEditStaffFields = (actor: Actor) => isStaff(actor);

export const canManageMemberships = (actor: Actor) => isStaff(actor);

export const canImportDirectory = (actor: Actor) => isStaff(actor);

/** A person edits their own profile; staff edit anyone's. */
export const canEditPerson = (actor: Actor, personId: string) =>
  isStaff(actor) || (actor.kind === "person" && actor.id === personId);
