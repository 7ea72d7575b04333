import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  describeLabelProposal, onLabelBallotClosed,
} from "../labels/decisions.ts";
import {
  describeDoctrineText, onDoctrineBallotClosed,
} from "../doctrine/decisions.ts";
import type { BallotSubjectKind } from "./tables.ts";

export type Ballot = typeof import("./tables.ts").ballots.$inferSelect;

/** What a ballot page shows of the question voted on. */
export interface SubjectDescription {
  title: string;
  /** Heading above the lines; the association's reading by default. */
  heading?: string;
  /** Term → text pairs, shown as a description list. */
  lines: { term: string; text: string }[];
  link?: { href: string; label: string };
}

/**
 * What each kind of subject brings to the generic ballot: how to present
 * it, and what its closing decides. `onClosed` runs in the closing's
 * transaction, so a decision and its consequences commit together.
 */
export interface BallotSubject {
  describe(db: Db, subjectId: string): Promise<SubjectDescription>;
  onClosed(ctx: Ctx, ballot: Ballot): Promise<void>;
}

// A function rather than a table built at load time: features import each
// other, and a lookup at call time never meets a module half-loaded.
export function ballotSubject(kind: BallotSubjectKind): BallotSubject {
  switch (kind) {
    case "label_proposal":
      return { describe: describeLabelProposal, onClosed: onLabelBallotClosed };
    case "doctrine":
      return { describe: describeDoctrineText,
        onClosed: onDoctrineBallotClosed };
  }
}
