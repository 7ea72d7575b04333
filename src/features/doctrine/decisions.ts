import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { notFound } from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { recordAudit } from "../audit/audit.ts";
import { OUTCOME_LABELS } from "../ballots/rules.ts";
import type { Ballot, SubjectDescription } from "../ballots/subjects.ts";
import { documents } from "../documents/tables.ts";
import { mailPerson, textUrl } from "./notify.ts";
import { doctrineTexts } from "./tables.ts";
import type { DoctrineText } from "./texts.ts";

async function textWithTitle(db: Db, textId: string) {
  const [row] = await db.select({ text: doctrineTexts,
    title: documents.title, proposer: people.fullName })
    .from(doctrineTexts)
    .innerJoin(documents, eq(documents.id, doctrineTexts.documentId))
    .leftJoin(people, eq(people.id, doctrineTexts.proposedBy))
    .where(eq(doctrineTexts.id, textId));
  if (!row) throw notFound("Ce texte n'existe pas.");

  return row;
}

/** What the ballot page shows of a doctrine text. */
export async function describeDoctrineText(
  db: Db, textId: string,
): Promise<SubjectDescription> {
  const { text, title, proposer } = await textWithTitle(db, textId);

  return {
    title: `Doctrine : « ${title} »`,
    heading: "Le texte soumis au vote",
    lines: [
      { term: "Version soumise au vote",
        text: text.ballotVersion ? `Version ${text.ballotVersion}` : "—" },
      { term: "Proposé par", text: proposer ?? "—" },
      { term: "Pourquoi ce texte", text: text.reason },
    ],
    link: { href: `/doctrine/${text.slug}`,
      label: `Lire le texte « ${title} », son historique et son débat` },
  };
}

/**
 * Records the community's decision on a text, in the ballot's closing
 * transaction: adopted, the version voted on becomes the doctrine's text;
 * otherwise the round is marked rejected (a former validated version stays
 * the doctrine). The proposer is told either way.
 */
export async function onDoctrineBallotClosed(
  ctx: Ctx, ballot: Ballot,
): Promise<void> {
  const now = ctx.now();
  const { text, title } = await textWithTitle(ctx.db, ballot.subjectId);
  if (text.ballotId !== ballot.id || text.status !== "voting") return;
  const validated = ballot.outcome === "adopted";

  await ctx.db.update(doctrineTexts).set(validated
    ? { status: "validated", validatedVersion: text.ballotVersion,
      validatedAt: now, updatedAt: now }
    : { status: "rejected", updatedAt: now })
    .where(eq(doctrineTexts.id, text.id));
  await recordAudit(ctx.db, ctx.actor, { action: validated
    ? "doctrine.validated" : "doctrine.rejected",
  subjectKind: "doctrine_text", subjectId: text.id,
  details: { ballotId: ballot.id, version: text.ballotVersion,
    outcome: ballot.outcome, votesCast: ballot.votesCast,
    electorateSize: ballot.electorateSize } }, now);
  await mailProposer(ctx, text, title, ballot, validated);
}

async function mailProposer(
  ctx: Ctx, text: DoctrineText, title: string, ballot: Ballot,
  validated: boolean,
) {
  await mailPerson(ctx.db, ctx.config, text.proposedBy, {
    key: `doctrine-decided:${ballot.id}`,
    subject: validated ? `« ${title} » entre dans la doctrine`
      : `« ${title} » : résultat du scrutin`,
    text: `Bonjour,\n\nLes allié·es ont voté sur le texte que vous avez `
      + `proposé, « ${title} » (version ${text.ballotVersion}) : `
      + `${OUTCOME_LABELS[ballot.outcome!]}.\nVotes exprimés : `
      + `${ballot.votesCast} sur ${ballot.electorateSize} (pour `
      + `${ballot.forCount}, contre ${ballot.againstCount}, abstentions `
      + `${ballot.abstainCount}).\n`
      + (validated ? "Le texte est publié dans la doctrine de l'Alliance.\n"
        : "Le texte n'est pas validé.\n")
      + textUrl(ctx.config, text.slug),
  });
}
