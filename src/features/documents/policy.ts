import { isStaff, type Actor } from "../../domain/context.ts";

/** Any signed-in ally (or staff) may deposit a document. */
export const canDepositDocument = (actor: Actor) => actor.kind === "person";

/** Staff validate deposits before anything is published. */
export const canReviewDocuments = (actor: Actor) => isStaff(actor);

/** A document not yet published is seen by its depositor and staff. */
export const canSeeDocument = (
  actor: Actor, doc: { status: string; depositedBy: string | null },
) => doc.status === "published" || isStaff(actor)
  || (actor.kind === "person" && actor.id === doc.depositedBy);
