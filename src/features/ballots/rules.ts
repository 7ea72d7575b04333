import type { BallotOutcome, Majority, QuorumKind } from "./tables.ts";

export interface BallotRules {
  electorateSize: number;
  quorumKind: QuorumKind;
  quorumValue: number;
  majority: Majority;
}

export interface Tally { for: number; against: number; abstain: number }

export interface Decision extends Tally {
  votesCast: number;
  quorumReached: boolean;
  outcome: BallotOutcome;
}

/**
 * Applies the quorum and the majority to a tally. Abstentions count
 * towards the quorum (the member took part) but not in the majority,
 * which weighs "for" against "for" and "against" only.
 */
export function decideBallot(rules: BallotRules, tally: Tally): Decision {
  const votesCast = tally.for + tally.against + tally.abstain;
  const quorumReached = rules.quorumKind === "share"
    ? votesCast * 100 >= rules.quorumValue * rules.electorateSize
    : votesCast >= rules.quorumValue;
  const expressed = tally.for + tally.against;
  const adopted = expressed > 0 && (rules.majority === "simple"
    ? tally.for * 2 > expressed
    : tally.for * 3 >= expressed * 2);
  let outcome: BallotOutcome = adopted ? "adopted" : "rejected";
  if (!quorumReached) outcome = "no_quorum";

  return { ...tally, votesCast, quorumReached, outcome };
}

/** The quorum in words, for pages and e-mails. */
export function describeQuorum(kind: QuorumKind, value: number): string {
  if (kind === "share") return `${value} % des membres`;

  return value === 1 ? "1 membre" : `${value} membres`;
}

export const MAJORITY_LABELS: Record<Majority, string> = {
  simple: "majorité simple",
  two_thirds: "majorité des deux tiers",
};

export const OUTCOME_LABELS: Record<BallotOutcome, string> = {
  adopted: "adopté",
  rejected: "rejeté",
  no_quorum: "quorum non atteint",
};
