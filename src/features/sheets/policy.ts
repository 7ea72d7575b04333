import { isStaff, type Actor } from "../../domain/context.ts";
import type { SheetStatus } from "./tables.ts";

/** Who takes part in writing a sheet. */
export interface SheetParties {
  status: SheetStatus;
  authorIds: readonly string[];
  facilitatorId: string | null;
}

const personId = (actor: Actor) =>
  actor.kind === "person" ? actor.id : undefined;

/** An author or the facilitator of the sheet. */
export function isWriterOf(actor: Actor, sheet: SheetParties): boolean {
  const id = personId(actor);
  if (!id) return false;

  return sheet.authorIds.includes(id) || sheet.facilitatorId === id;
}

const OPEN: readonly SheetStatus[] = ["draft", "sent_back"];

/** Any ally may start a sheet; they become its first author. */
export const canCreateSheet = (actor: Actor) => actor.kind === "person";

/** Everyone reads a published sheet; writers and staff read the others. */
export const canReadSheet = (actor: Actor, sheet: SheetParties) =>
  sheet.status === "published" || isStaff(actor) || isWriterOf(actor, sheet);

/**
 * Writers edit a draft or a sheet sent back to them; a submitted sheet is
 * frozen while staff review it; a published one only staff may correct,
 * and each correction becomes a version.
 */
export function canEditSheet(actor: Actor, sheet: SheetParties): boolean {
  if (OPEN.includes(sheet.status)) return isWriterOf(actor, sheet);

  return sheet.status === "published" && isStaff(actor);
}

/** Comments are the writers' and reviewers' working notes. */
export const canCommentSheet = (actor: Actor, sheet: SheetParties) =>
  isStaff(actor) || isWriterOf(actor, sheet);

/** The facilitator, and only they, vouches for the sheet to staff. */
export const canSubmitSheet = (actor: Actor, sheet: SheetParties) =>
  OPEN.includes(sheet.status) && sheet.facilitatorId !== null
  && personId(actor) === sheet.facilitatorId;

export const canReviewSheet = (actor: Actor) => isStaff(actor);

/** Facilitators, training requests and completions are run by staff. */
export const canManageTraining = (actor: Actor) => isStaff(actor);
