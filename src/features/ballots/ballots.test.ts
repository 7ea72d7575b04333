import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import {
  DomainError, FOREIGN_KEY_VIOLATION, isPgError,
} from "../../domain/errors.ts";
import {
  addCollectiveMember, removeCollectiveMember,
} from "../labels/collectives.ts";
import { labellingCollectives } from "../labels/tables.ts";
import { proposeScene, setUpLabelling, dayFromNow }
  from "../labels/test-fixtures.ts";
import {
  castVote, closeBallot, closeDueBallots, findMyOpenBallots, getBallot,
  NOT_IN_ELECTORATE,
} from "./ballots.ts";
import { ballots, voteHistory, votes, type VoteChoice } from "./tables.ts";
import { systemCtx } from "../../domain/context.ts";

const CHOICES: VoteChoice[] = ["for", "against", "abstain"];

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e) => e);
  expect(error).toBeInstanceOf(DomainError);

  return error as DomainError;
}

describe("ballots", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("keeps one current vote per member under 50 concurrent votes and "
    + "changes, and counts them exactly", async () => {
    const scene = await setUpLabelling(t, { members: 50 });
    const { ballotId } = await proposeScene(t, scene);
    const voteAs = (i: number, choice: VoteChoice) =>
      castVote(t.ctx(actorOf(scene.voters[i])), { ballotId, choice });

    // Every member votes "against" twice at once, then changes twice at
    // once to a choice of their own.
    await Promise.all(scene.voters.flatMap((_, i) =>
      [voteAs(i, "against"), voteAs(i, "against")]));
    await Promise.all(scene.voters.flatMap((_, i) =>
      [voteAs(i, CHOICES[i % 3]), voteAs(i, CHOICES[i % 3])]));
    const closed = await closeBallot(scene.staffCtx, ballotId);

    expect(closed).toMatchObject({ votesCast: 50, forCount: 17,
      againstCount: 17, abstainCount: 16, quorumReached: true,
      outcome: "rejected" });
    const [rows] = await t.database.db.select({ n: count() }).from(votes)
      .where(eq(votes.ballotId, ballotId));
    expect(rows.n).toBe(50);
    const [history] = await t.database.db.select({ n: count() })
      .from(voteHistory).where(eq(voteHistory.ballotId, ballotId));
    expect(history.n).toBe(200);
  });

  it("lets no vote land after the decision when closing while votes "
    + "arrive", async () => {
    const scene = await setUpLabelling(t, { members: 40 });
    const { ballotId } = await proposeScene(t, scene);
    const attempts = scene.voters.map((v, i) =>
      castVote(t.ctx(actorOf(v)), { ballotId, choice: CHOICES[i % 3] }));
    const closing = closeBallot(scene.staffCtx, ballotId);
    const late = scene.voters.slice(0, 10).map((v) =>
      castVote(t.ctx(actorOf(v)), { ballotId, choice: "for" }));
    const results = await Promise.allSettled([...attempts, ...late]);
    const closed = await closing;

    const refused = results.filter((r) => r.status === "rejected");
    for (const r of refused) {
      expect((r as PromiseRejectedResult).reason.message)
        .toBe("Le scrutin est clos : votre vote n'a pas été enregistré.");
    }
    const firstAccepted = results.slice(0, 40)
      .filter((r) => r.status === "fulfilled").length;
    const tally = await t.database.db.select({ choice: votes.choice,
      n: sql<number>`count(*)::int` }).from(votes)
      .where(eq(votes.ballotId, ballotId)).groupBy(votes.choice);
    const n = (c: string) => tally.find((r) => r.choice === c)?.n ?? 0;
    expect(closed.votesCast).toBe(firstAccepted);
    expect([closed.forCount, closed.againstCount, closed.abstainCount])
      .toEqual([n("for"), n("against"), n("abstain")]);
    const [after] = await t.database.db.select({ n: count() }).from(votes)
      .where(sql`${votes.ballotId} = ${ballotId}
        and ${votes.updatedAt} > ${closed.closedAt!.toISOString()}`);
    expect(after.n).toBe(0);
  });

  it("refuses a vote after the closing with a clear message", async () => {
    const scene = await setUpLabelling(t);
    const { ballotId } = await proposeScene(t, scene);
    await closeBallot(scene.staffCtx, ballotId);

    const error = await refusal(castVote(t.ctx(actorOf(scene.voters[0])),
      { ballotId, choice: "for" }));

    expect(error.code).toBe("conflict");
    expect(error.message).toContain("Le scrutin est clos");
  });

  it("refuses a vote from an ally outside the collective, from staff and "
    + "from a visitor", async () => {
    const scene = await setUpLabelling(t);
    const { ballotId } = await proposeScene(t, scene);
    const outsider = await createPerson(t.database.db);

    const byOutsider = await refusal(castVote(t.ctx(actorOf(outsider)),
      { ballotId, choice: "for" }));
    const byStaff = await refusal(castVote(scene.staffCtx,
      { ballotId, choice: "for" }));
    const byVisitor = await refusal(castVote(t.ctx(visitor),
      { ballotId, choice: "for" }));

    expect([byOutsider.code, byStaff.code, byVisitor.code])
      .toEqual(["forbidden", "forbidden", "unauthenticated"]);
    expect(byOutsider.message).toContain("membres du collectif");
  });

  it("refuses a vote from a removed member or once the collective's "
    + "period is over", async () => {
    const scene = await setUpLabelling(t, { members: 3 });
    const { ballotId } = await proposeScene(t, scene);
    await removeCollectiveMember(scene.staffCtx, {
      collectiveId: scene.collective.id, personId: scene.voters[0].id });

    expect((await refusal(castVote(t.ctx(actorOf(scene.voters[0])),
      { ballotId, choice: "for" }))).code).toBe("forbidden");
    await t.database.db.update(labellingCollectives)
      .set({ startsOn: dayFromNow(-30), endsOn: dayFromNow(-1) })
      .where(eq(labellingCollectives.id, scene.collective.id));
    expect((await refusal(castVote(t.ctx(actorOf(scene.voters[1])),
      { ballotId, choice: "for" }))).code).toBe("forbidden");
  });

  it("freezes the electorate at the opening: a member added since does "
    + "not vote, with a clear message, and the schema refuses it too",
  async () => {
    const scene = await setUpLabelling(t, { members: 3 });
    const { ballotId } = await proposeScene(t, scene);
    const late = await createPerson(t.database.db);
    await addCollectiveMember(scene.staffCtx,
      { collectiveId: scene.collective.id, email: late.email! });
    const lateCtx = t.ctx(actorOf(late));

    const error = await refusal(castVote(lateCtx,
      { ballotId, choice: "against" }));

    expect(error.code).toBe("forbidden");
    expect(error.message).toBe(NOT_IN_ELECTORATE);
    expect((await getBallot(lateCtx, ballotId)).canVote).toBe(false);
    expect((await findMyOpenBallots(lateCtx)).map((b) => b.id))
      .not.toContain(ballotId);
    const inserted = await t.database.db.insert(votes).values({ ballotId,
      personId: late.id, choice: "against", castAt: new Date(),
      updatedAt: new Date() }).then(() => null, (e) => e);
    expect(isPgError(inserted, FOREIGN_KEY_VIOLATION)).toBe(true);
    await castVote(t.ctx(actorOf(scene.voters[0])),
      { ballotId, choice: "for" });
    const closed = await closeBallot(scene.staffCtx, ballotId);
    expect(closed).toMatchObject({ electorateSize: 3, votesCast: 1 });
  });

  it("refuses a choice that is not for, against or abstain", async () => {
    const scene = await setUpLabelling(t);
    const { ballotId } = await proposeScene(t, scene);

    const error = await refusal(castVote(t.ctx(actorOf(scene.voters[0])),
      { ballotId, choice: "peut-être" }));

    expect(error.fields).toHaveProperty("choice");
  });

  it("hides the results from everyone, staff included, until the closing",
    async () => {
      const scene = await setUpLabelling(t);
      const { ballotId } = await proposeScene(t, scene);
      await castVote(t.ctx(actorOf(scene.voters[0])),
        { ballotId, choice: "for", comment: "Convaincue." });
      await castVote(t.ctx(actorOf(scene.voters[1])),
        { ballotId, choice: "against" });

      const asStaff = await getBallot(scene.staffCtx, ballotId);
      const asMember = await getBallot(t.ctx(actorOf(scene.voters[0])),
        ballotId);
      expect(asStaff.results).toBeNull();
      expect(asStaff.ballot.forCount).toBeNull();
      expect(asMember.results).toBeNull();
      expect(asMember.myVote).toMatchObject({ choice: "for",
        comment: "Convaincue." });

      await closeBallot(scene.staffCtx, ballotId);
      const after = await getBallot(t.ctx(actorOf(scene.voters[2])),
        ballotId);
      expect(after.results).toHaveLength(2);
      expect(after.ballot).toMatchObject({ forCount: 1, againstCount: 1,
        outcome: "rejected" });
    });

  it("shows a ballot only to its voters and to staff", async () => {
    const scene = await setUpLabelling(t);
    const { ballotId } = await proposeScene(t, scene);
    const outsider = await createPerson(t.database.db);

    expect((await refusal(getBallot(t.ctx(actorOf(outsider)), ballotId)))
      .code).toBe("forbidden");
  });

  it("lists a member's open ballots with their own choice", async () => {
    const scene = await setUpLabelling(t);
    const { ballotId } = await proposeScene(t, scene);
    const ctx = t.ctx(actorOf(scene.voters[0]));
    await castVote(ctx, { ballotId, choice: "abstain" });

    const mine = await findMyOpenBallots(ctx);

    expect(mine.map((b) => [b.id, b.myChoice]))
      .toContainEqual([ballotId, "abstain"]);
  });

  it("refuses a closing by an ally and a second closing", async () => {
    const scene = await setUpLabelling(t);
    const { ballotId } = await proposeScene(t, scene);

    expect((await refusal(closeBallot(t.ctx(actorOf(scene.voters[0])),
      ballotId))).code).toBe("forbidden");
    await closeBallot(scene.staffCtx, ballotId);
    expect((await refusal(closeBallot(scene.staffCtx, ballotId))).code)
      .toBe("conflict");
  });

  it("closes ballots past their end date in the background job", async () => {
    const scene = await setUpLabelling(t);
    const { ballotId } = await proposeScene(t, scene);
    await castVote(t.ctx(actorOf(scene.voters[0])), { ballotId, choice: "for" });
    await castVote(t.ctx(actorOf(scene.voters[1])), { ballotId, choice: "for" });
    const later = new Date(Date.now() + 2 * 86_400_000);
    const job = systemCtx({ ...t.ctx(visitor), now: () => later });

    expect(await closeDueBallots(job)).toBeGreaterThanOrEqual(1);
    const [ballot] = await t.database.db.select().from(ballots)
      .where(eq(ballots.id, ballotId));
    expect(ballot).toMatchObject({ status: "closed", outcome: "adopted",
      closedBy: null, votesCast: 2 });
  });
});
