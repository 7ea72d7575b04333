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
import { findVersions } from "./texts.ts";

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
 * Everything the page of a text shows: its versions, the debate (comments
 * threaded, amendments and their decisions), its ballots and briefs.
 */
export async function getDoctrinePage(ctx: Ctx, slug: string) {
  const { text, document, proposer } = await getDoctrineText(ctx, slug);
  const versions = await findVersions(ctx.db, text.id);
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
    comments: comments.map((c) => ({ ...c.comment,
      body: c.comment.hiddenAt ? "" : c.comment.body,
      authorName: c.authorName })),
    amendments: amendments.map((a) => ({ ...a.amendment,
      authorName: a.authorName })),
    ballots: textBallots,
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
  const { text, document } = await getDoctrineText(ctx, input.slug);
  const versions = await findVersions(ctx.db, text.id);
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
