import { and, asc, desc, eq } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { invalid, notFound, unauthenticated } from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { ballots } from "../ballots/tables.ts";
import { documents } from "../documents/tables.ts";
import { findBriefs } from "./briefs.ts";
import { diffVersions } from "./diff.ts";
import { canDecideAmendment, canReadDraftDoctrine } from "./policy.ts";
import {
  doctrineAmendments, doctrineComments, doctrineTexts,
} from "./tables.ts";
import { findVersions, type DoctrineText } from "./texts.ts";

/** A text by its slug; a text never validated is for signed-in people. */
export async function getDoctrineText(ctx: Ctx, slug: string) {
  const [row] = await ctx.db.select({ text: doctrineTexts,
    document: documents, proposer: people.fullName }).from(doctrineTexts)
    .innerJoin(documents, eq(documents.id, doctrineTexts.documentId))
    .leftJoin(people, eq(people.id, doctrineTexts.proposedBy))
    .where(eq(doctrineTexts.slug, slug));
  if (!row) throw notFound("Ce texte n'existe pas.");
  if (!row.text.validatedVersion && !canReadDraftDoctrine(ctx.actor)) {
    throw unauthenticated();
  }

  return row;
}

/**
 * What visitors read of a text: its validated version and what led to it
 * (versions, debate, ballots up to the validation). A revision started
 * since is, like a first proposal, for signed-in people only: visitors see
 * the text as it stood when validated. Null when the actor reads it all.
 */
function publishedView(ctx: Ctx, text: DoctrineText) {
  if (canReadDraftDoctrine(ctx.actor)) return null;
  const validatedAt = text.validatedAt!.getTime();
  const revising = text.status !== "validated";

  return {
    // The round under way (or rejected) since the validation is not shown:
    // neither its status, dates, ballot nor the reason given for it.
    text: revising ? { ...text, status: "validated" as const, reason: "",
      proposedBy: null, debateOpenedAt: null, debateEndsAt: null,
      ballotId: null, ballotVersion: null } : text,
    revising,
    version: (number: number) => number <= text.validatedVersion!,
    before: (at: Date | null) => at !== null && at.getTime() <= validatedAt,
  };
}

/**
 * Everything the page of a text shows: its versions, the debate (comments
 * threaded, amendments and their decisions), its ballots and briefs.
 */
export async function getDoctrinePage(ctx: Ctx, slug: string) {
  const found = await getDoctrineText(ctx, slug);
  const published = publishedView(ctx, found.text);
  const text = published?.text ?? found.text;
  const { document } = found;
  const proposer = published?.revising ? null : found.proposer;
  const versions = (await findVersions(ctx.db, text.id))
    .filter((v) => !published || published.version(v.version.number));
  const comments = await ctx.db.select({ comment: doctrineComments,
    authorName: people.fullName }).from(doctrineComments)
    .leftJoin(people, eq(people.id, doctrineComments.authorId))
    .where(eq(doctrineComments.textId, text.id))
    .orderBy(asc(doctrineComments.createdAt));
  const amendments = await ctx.db.select({ amendment: doctrineAmendments,
    authorName: people.fullName }).from(doctrineAmendments)
    .leftJoin(people, eq(people.id, doctrineAmendments.authorId))
    .where(eq(doctrineAmendments.textId, text.id))
    .orderBy(desc(doctrineAmendments.round),
      asc(doctrineAmendments.createdAt));
  const textBallots = await ctx.db.select().from(ballots)
    .where(and(eq(ballots.subjectKind, "doctrine"),
      eq(ballots.subjectId, text.id)))
    .orderBy(desc(ballots.opensAt));
  const now = ctx.now();

  return {
    text, document, proposer, versions,
    // A hidden comment's words never reach the page.
    comments: comments.filter((c) => !published
      || published.before(c.comment.createdAt)).map((c) => ({ ...c.comment,
      body: c.comment.hiddenAt ? "" : c.comment.body,
      authorName: c.authorName })),
    amendments: amendments.filter((a) => !published
      || published.before(a.amendment.createdAt)).map((a) => ({
      ...a.amendment, authorName: a.authorName })),
    ballots: textBallots.filter((b) => !published
      || (b.status === "closed" && published.before(b.closedAt))),
    briefs: await findBriefs(ctx, text.id),
    debateOpen: text.status === "debate" && Boolean(text.debateEndsAt
      && text.debateEndsAt.getTime() > now.getTime()),
    canDecide: text.status === "debate"
      && canDecideAmendment(ctx.actor, text),
  };
}

export type DoctrinePage = Awaited<ReturnType<typeof getDoctrinePage>>;

/** Two versions of a text and the word-level diff between them. */
export async function compareVersions(
  ctx: Ctx, input: { slug: string; from: string; to: string },
) {
  const { text: found, document } = await getDoctrineText(ctx, input.slug);
  const published = publishedView(ctx, found);
  const text = published?.text ?? found;
  const versions = (await findVersions(ctx.db, text.id))
    .filter((v) => !published || published.version(v.version.number));
  const pick = (n: string) =>
    versions.find((v) => String(v.version.number) === n)?.version;
  const before = pick(input.from);
  const after = pick(input.to);
  if (!before || !after) {
    throw invalid("Choisissez deux versions qui existent.", {
      ...(before ? {} : { de: "Cette version n'existe pas." }),
      ...(after ? {} : { a: "Cette version n'existe pas." }) });
  }

  return { text, document, versions, before, after,
    parts: diffVersions(before.body, after.body) };
}
