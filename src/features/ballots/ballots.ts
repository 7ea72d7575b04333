import { and, asc, eq, lte, sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, notFound,
} from "../../domain/errors.ts";
import { personIdOf, recordAudit } from "../audit/audit.ts";
import { people } from "../accounts/tables.ts";
import {
  countElectorate, eligibleForBallotSql, freezeElectorate, joinedSinceOpening,
  type Electorate,
} from "./electorate.ts";
import { canCloseBallot, canFollowBallot, canOpenBallot } from "./policy.ts";
import { decideBallot, describeQuorum, type Decision } from "./rules.ts";
import { ballotSubject, type Ballot } from "./subjects.ts";
import {
  ballots, voteHistory, votes, VOTE_CHOICES, type BallotSubjectKind,
  type Majority, type QuorumKind, type VoteChoice,
} from "./tables.ts";

export type { Ballot };

export interface OpenBallotInput {
  subjectKind: BallotSubjectKind;
  subjectId: string;
  question: string;
  electorate: Electorate;
  quorumKind: QuorumKind;
  quorumValue: number;
  majority: Majority;
  closesAt: Date;
}

/**
 * Opens a ballot now. Meant to run inside the transaction of the step that
 * asks for it (a label proposal), through `ctx.db`. The electorate is
 * counted now: a ballot nobody could vote in, or whose quorum exceeds the
 * electorate, is refused before anything is written.
 */
export async function openBallot(
  ctx: Ctx, input: OpenBallotInput,
): Promise<Ballot> {
  if (!canOpenBallot(ctx.actor)) throw forbidden();
  const now = ctx.now();
  if (input.closesAt.getTime() <= now.getTime()) {
    throw invalid("La date de fin du scrutin doit être dans le futur.",
      { closesAt: "Choisissez une date de fin à venir." });
  }
  const size = await countElectorate(ctx.db, input.electorate, now);
  if (size === 0) {
    throw invalid("Le collectif n'a aucun membre en fonction : personne ne "
      + "pourrait voter.", { collectiveId: "Choisissez un collectif qui a "
      + "des membres en fonction aujourd'hui." });
  }
  if (input.quorumKind === "count" && input.quorumValue > size) {
    throw invalid(`Le quorum (${describeQuorum("count", input.quorumValue)})`
      + ` dépasse le nombre de votant·es possibles (${size}).`,
      { collectiveId: "Le quorum de ce collectif ne peut pas être atteint." });
  }

  const [ballot] = await ctx.db.insert(ballots).values({
    subjectKind: input.subjectKind,
    subjectId: input.subjectId,
    question: input.question,
    electorateKind: input.electorate.kind,
    electorateId: input.electorate.id,
    electorateSize: size,
    quorumKind: input.quorumKind,
    quorumValue: input.quorumValue,
    majority: input.majority,
    opensAt: now,
    closesAt: input.closesAt,
  }).returning();
  // The electorate is frozen now; should someone have joined or left
  // since the count, the quorum's base is the frozen electorate.
  const frozen = await freezeElectorate(ctx.db, ballot.id, input.electorate,
    now);
  const opened = frozen === size ? ballot : (await ctx.db.update(ballots)
    .set({ electorateSize: frozen }).where(eq(ballots.id, ballot.id))
    .returning())[0];
  await recordAudit(ctx.db, ctx.actor, {
    action: "ballot.opened", subjectKind: "ballot", subjectId: ballot.id,
    details: { subjectKind: input.subjectKind, subjectId: input.subjectId,
      electorateSize: frozen, closesAt: input.closesAt.toISOString() },
  }, now);

  return opened;
}

export interface CastVoteInput {
  ballotId: string;
  choice: string;
  comment?: string;
}

/**
 * Records or changes the actor's vote. One statement checks that the
 * ballot is open and the actor may vote, takes a shared lock on the ballot
 * and upserts on (ballot, person): a closing, which locks the ballot for
 * update, therefore happens wholly before or wholly after this vote, and
 * two requests of the same member leave one vote.
 */
export async function castVote(
  ctx: Ctx, input: CastVoteInput,
): Promise<{ revision: number }> {
  const person = requirePerson(ctx.actor);
  if (!VOTE_CHOICES.includes(input.choice as VoteChoice)) {
    throw invalid("Choisissez pour, contre ou abstention.",
      { choice: "Choisissez pour, contre ou abstention." });
  }
  const comment = (input.comment ?? "").trim();
  if (comment.length > 2000) {
    throw invalid("Le commentaire est trop long.",
      { comment: "2 000 caractères au plus." });
  }
  const now = ctx.now();
  const at = now.toISOString();

  return ctx.db.transaction(async (tx) => {
    const [row] = await query<{ revision: number }>(tx, sql`
      insert into votes (ballot_id, person_id, choice, comment, cast_at,
        updated_at)
      select b.id, ${person.id}, ${input.choice}, ${comment},
        ${at}::timestamptz, ${at}::timestamptz
      from ballots b
      where b.id = ${input.ballotId}::uuid and b.status = 'open'
        and b.opens_at <= ${at}::timestamptz
        and b.closes_at > ${at}::timestamptz
        and ${eligibleForBallotSql(person.id, now)}
      for share of b
      on conflict (ballot_id, person_id) do update
        set choice = excluded.choice, comment = excluded.comment,
          updated_at = excluded.updated_at, revision = votes.revision + 1
      returning revision`);
    if (!row) {
      throw await whyVoteRefused(tx, input.ballotId, person.id, now);
    }

    await tx.insert(voteHistory).values({
      ballotId: input.ballotId, personId: person.id,
      choice: input.choice as VoteChoice, comment, revision: row.revision,
      at: now,
    });
    // The trail says who voted when, never how: choices stay secret
    // until the closing.
    await recordAudit(tx, ctx.actor, {
      action: row.revision === 1 ? "ballot.vote_cast" : "ballot.vote_changed",
      subjectKind: "ballot", subjectId: input.ballotId,
      details: { revision: row.revision },
    }, now);

    return { revision: row.revision };
  });
}

async function whyVoteRefused(
  db: Db, ballotId: string, personId: string, now: Date,
) {
  const [ballot] = await query<Ballot & { closes_at: Date; status: string;
    opens_at: Date }>(db,
    sql`select status, opens_at, closes_at from ballots
      where id = ${ballotId}::uuid`);
  if (!ballot) return notFound("Ce scrutin n'existe pas.");
  const closesAt = new Date(ballot.closes_at);
  if (ballot.status !== "open" || closesAt.getTime() <= now.getTime()) {
    return conflict("Le scrutin est clos : votre vote n'a pas été "
      + "enregistré.");
  }
  if (new Date(ballot.opens_at).getTime() > now.getTime()) {
    return conflict("Le scrutin n'est pas encore ouvert.");
  }
  if (await joinedSinceOpening(db, ballotId, personId, now)) {
    return forbidden(NOT_IN_ELECTORATE);
  }

  return forbidden("Seuls les membres du collectif en fonction peuvent "
    + "voter à ce scrutin.");
}

/** Why someone who joined after the opening does not vote. */
export const NOT_IN_ELECTORATE = "Vous ne faites pas partie des votant·es "
  + "de ce scrutin : ses votant·es sont fixé·es à son ouverture, et vous "
  + "ne pouviez pas encore voter à ce moment-là. Votre vote n'a pas été "
  + "enregistré.";

/** Counts the current votes of a ballot, inside the closing. */
async function tallyVotes(ctx: Ctx, ballotId: string) {
  const rows = await ctx.db.select({
    choice: votes.choice, n: sql<number>`count(*)::int`,
  }).from(votes).where(eq(votes.ballotId, ballotId)).groupBy(votes.choice);
  const n = (choice: VoteChoice) =>
    Number(rows.find((r) => r.choice === choice)?.n ?? 0);

  return { for: n("for"), against: n("against"), abstain: n("abstain") };
}

/**
 * Closes an open ballot: locks it, counts, decides, records the figures,
 * then lets the subject apply the decision, all in one transaction.
 * Returns null when the ballot was already closed (by another node).
 */
async function closeLocked(
  ctx: Ctx, ballotId: string, onlyIfDue: boolean,
): Promise<Ballot | null> {
  return ctx.db.transaction(async (tx) => {
    const [ballot] = await tx.select().from(ballots)
      .where(eq(ballots.id, ballotId)).for("update");
    if (!ballot) throw notFound("Ce scrutin n'existe pas.");
    // The closing instant is read once the ballot is locked: every vote
    // counted was cast before it, even one that held the lock while the
    // closing waited for it.
    const now = ctx.now();
    if (ballot.status === "closed") return null;
    if (onlyIfDue && ballot.closesAt.getTime() > now.getTime()) return null;

    const txCtx = { ...ctx, db: tx };
    const decision = decideBallot(ballot, await tallyVotes(txCtx, ballotId));
    const [closed] = await tx.update(ballots).set({
      status: "closed",
      closedAt: now,
      closedBy: personIdOf(ctx.actor),
      ...figures(decision),
    }).where(eq(ballots.id, ballotId)).returning();
    await recordAudit(tx, ctx.actor, {
      action: "ballot.closed", subjectKind: "ballot", subjectId: ballotId,
      details: { ...figures(decision), electorateSize: ballot.electorateSize,
        early: now.getTime() < ballot.closesAt.getTime() },
    }, now);
    await ballotSubject(closed.subjectKind).onClosed(txCtx, closed);

    return closed;
  });
}

const figures = (d: Decision) => ({
  votesCast: d.votesCast, forCount: d.for, againstCount: d.against,
  abstainCount: d.abstain, quorumReached: d.quorumReached,
  outcome: d.outcome,
});

/** Staff close a ballot now, before its end date or at it. */
export async function closeBallot(ctx: Ctx, ballotId: string) {
  if (!canCloseBallot(ctx.actor)) throw forbidden();
  const closed = await closeLocked(ctx, ballotId, false);
  if (!closed) throw conflict("Ce scrutin est déjà clos.");

  return closed;
}

/** The closing job: every open ballot whose end date has passed. */
export async function closeDueBallots(ctx: Ctx): Promise<number> {
  if (!canCloseBallot(ctx.actor)) throw forbidden();
  const due = await ctx.db.select({ id: ballots.id }).from(ballots)
    .where(and(eq(ballots.status, "open"), lte(ballots.closesAt, ctx.now())))
    .orderBy(asc(ballots.closesAt)).limit(100);
  let closed = 0;
  for (const { id } of due) {
    if (await closeLocked(ctx, id, true)) closed += 1;
  }

  return closed;
}

/** True when the person may vote in the ballot now. */
async function isEligible(ctx: Ctx, ballotId: string, personId: string) {
  const [row] = await query<{ ok: boolean }>(ctx.db, sql`select
    ${eligibleForBallotSql(personId, ctx.now())} as ok
    from ballots b where b.id = ${ballotId}::uuid`);

  return Boolean(row?.ok);
}

export type Vote = typeof votes.$inferSelect;

export interface BallotView {
  ballot: Ballot;
  subject: Awaited<ReturnType<ReturnType<typeof ballotSubject>["describe"]>>;
  /** The actor may vote now. */
  canVote: boolean;
  myVote: Vote | null;
  /** Every current vote with its author, only once the ballot is closed. */
  results: (Vote & { fullName: string })[] | null;
}

/**
 * A ballot as the actor may see it: staff and the electorate's voters see
 * it; only the closing reveals the tally and the individual votes.
 */
export async function getBallot(ctx: Ctx, ballotId: string) {
  const person = requirePerson(ctx.actor);
  const [ballot] = await ctx.db.select().from(ballots)
    .where(eq(ballots.id, ballotId));
  if (!ballot) throw notFound("Ce scrutin n'existe pas.");
  const canVote = ballot.status === "open"
    && ballot.closesAt.getTime() > ctx.now().getTime()
    && await isEligible(ctx, ballotId, person.id);
  const [myVote] = await ctx.db.select().from(votes).where(and(
    eq(votes.ballotId, ballotId), eq(votes.personId, person.id)));
  if (!canVote && !myVote && !canFollowBallot(ctx.actor)
    && !await wasInElectorate(ctx, ballot, person.id)) {
    throw forbidden("Ce scrutin est réservé aux membres du collectif.");
  }

  const results = ballot.status === "closed"
    ? await ctx.db.select({ vote: votes, fullName: people.fullName })
      .from(votes).innerJoin(people, eq(people.id, votes.personId))
      .where(eq(votes.ballotId, ballotId)).orderBy(asc(people.fullName))
    : null;
  const view: BallotView = {
    ballot,
    subject: await ballotSubject(ballot.subjectKind)
      .describe(ctx.db, ballot.subjectId),
    canVote,
    myVote: myVote ?? null,
    results: results?.map((r) => ({ ...r.vote, fullName: r.fullName }))
      ?? null,
  };

  return view;
}

/** A member whose period ended may still read the result of their ballot. */
async function wasInElectorate(ctx: Ctx, ballot: Ballot, personId: string) {
  if (ballot.electorateKind === "all_allies") return true;
  const [row] = await query<{ ok: boolean }>(ctx.db, sql`select exists (
    select 1 from labelling_collective_members
    where collective_id = ${ballot.electorateId}::uuid
      and person_id = ${personId}::uuid) as ok`);

  return row.ok;
}

export interface MyBallot {
  id: string;
  question: string;
  closesAt: Date;
  myChoice: VoteChoice | null;
  /** Where the question voted on can be read, when its subject says. */
  subjectLink?: { href: string; label: string };
}

/** The open ballots the actor may vote in, soonest end first. */
export async function findMyOpenBallots(ctx: Ctx): Promise<MyBallot[]> {
  const person = requirePerson(ctx.actor);
  const now = ctx.now();
  const rows = await query<{ id: string; question: string;
    closes_at: string | Date; my_choice: VoteChoice | null;
    subject_kind: BallotSubjectKind; subject_id: string }>(ctx.db, sql`
    select b.id, b.question, b.closes_at, v.choice as my_choice,
      b.subject_kind, b.subject_id
    from ballots b
    left join votes v on v.ballot_id = b.id and v.person_id = ${person.id}
    where b.status = 'open' and b.closes_at > ${now.toISOString()}::timestamptz
      and ${eligibleForBallotSql(person.id, now)}
    order by b.closes_at`);

  return Promise.all(rows.map(async (r) => ({ id: r.id,
    question: r.question, closesAt: new Date(r.closes_at),
    myChoice: r.my_choice, subjectLink: (await ballotSubject(r.subject_kind)
      .describe(ctx.db, r.subject_id)).link })));
}
