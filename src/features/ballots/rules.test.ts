import { describe, expect, it } from "vitest";
import { decideBallot } from "./rules.ts";

const rules = (over = {}) => ({ electorateSize: 10, quorumKind: "share" as const,
  quorumValue: 50, majority: "simple" as const, ...over });

describe("counting a ballot", () => {
  it("counts abstentions towards the quorum but not the majority", () => {
    const d = decideBallot(rules(), { for: 2, against: 1, abstain: 2 });

    expect(d).toMatchObject({ votesCast: 5, quorumReached: true,
      outcome: "adopted" });
  });

  it("reports a missed quorum whatever the votes say", () => {
    expect(decideBallot(rules(), { for: 4, against: 0, abstain: 0 }).outcome)
      .toBe("no_quorum");
    expect(decideBallot(rules({ quorumKind: "count", quorumValue: 3 }),
      { for: 2, against: 0, abstain: 0 }).outcome).toBe("no_quorum");
  });

  it("rejects a tie under a simple majority", () => {
    expect(decideBallot(rules(), { for: 3, against: 3, abstain: 0 }).outcome)
      .toBe("rejected");
  });

  it("needs two thirds of for and against under a two-thirds majority", () => {
    const r = rules({ majority: "two_thirds" });

    expect(decideBallot(r, { for: 4, against: 2, abstain: 0 }).outcome)
      .toBe("adopted");
    expect(decideBallot(r, { for: 5, against: 3, abstain: 0 }).outcome)
      .toBe("rejected");
  });

  it("adopts nothing when everyone abstains", () => {
    expect(decideBallot(rules(), { for: 0, against: 0, abstain: 6 }).outcome)
      .toBe("rejected");
  });
});
