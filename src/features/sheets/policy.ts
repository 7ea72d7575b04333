import { isStaff, type Actor } from "../../domain/context.ts";
import type { SheetStatus } from "./tables.ts";

/** Who takes part in writing a sheet. */
export interface SheetParties {
  status: SheetStatus;
  authorIds: readonly string[];
  /** The author who started the sheet; they stay author whatever happens. */
  firstAuthorId: string | null;
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

/**
 * Who writes with the first author. A sheet attests competences for its
 * authors once published, so co-authors write the content but do not
 * choose who else signs it: the first author, the facilitator and staff
 * do, on a sheet they may edit.
 */
export function canChangeCoauthors(actor: Actor, sheet: SheetParties) {
  if (!canEditSheet(actor, sheet)) return false;
  const id = personId(actor);

  return isStaff(actor) || (id !== undefined
    && (id === sheet.firstAuthorId || id === sheet.facilitatorId));
}

/**
 * The facilitator vouches for the sheet to staff, so they are replaced by
 * staff only, never by the authors nor by themselves. While a sheet has
 * none, its first author chooses one: otherwise it could never be
 * submitted.
 */
export function canChangeFacilitator(actor: Actor, sheet: SheetParties) {
  if (!canEditSheet(actor, sheet)) return false;
  if (isStaff(actor)) return true;

  return sheet.facilitatorId === null
    && personId(actor) === sheet.firstAuthorId;
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
