import { isMember, isStaff, type Actor } from "../../domain/context.ts";

/** Any signed-in ally (staff included) proposes, comments and amends. */
export const canProposeDoctrine = (actor: Actor) => isMember(actor);
export const canTakePartInDebate = (actor: Actor) => isMember(actor);

/**
 * The proposer of the text, who answers for it during the debate, or
 * staff decide on each amendment.
 */
export const canDecideAmendment = (
  actor: Actor, text: { proposedBy: string | null },
) => isStaff(actor)
  || (actor.kind === "person" && actor.id === text.proposedBy);

/** Staff moderate the debate: they hide a comment that has no place. */
export const canModerateDebate = (actor: Actor) => isStaff(actor);

/** Staff run the process: debates, ballots, briefs and their makers. */
export const canOpenDebate = (actor: Actor) => isStaff(actor);
export const canOpenDoctrineBallot = (actor: Actor) => isStaff(actor);
export const canWriteBrief = (actor: Actor) => isStaff(actor);
export const canPickVolunteer = (actor: Actor) => isStaff(actor);

/** Allies offer their help; staff assign, they do not volunteer. */
export const canVolunteer = (actor: Actor) =>
  actor.kind === "person" && actor.role === "ally";

/** Staff, or the person chosen to make it, attach the result. */
export const canAttachBriefResult = (
  actor: Actor, brief: { chosenPersonId: string | null },
) => isStaff(actor)
  || (actor.kind === "person" && actor.id === brief.chosenPersonId);

/** Texts still on their way are read by signed-in people only. */
export const canReadDraftDoctrine = (actor: Actor) => isMember(actor);
