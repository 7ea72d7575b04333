import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, notFound,
} from "../../domain/errors.ts";
import { personIdOf, recordAudit } from "../audit/audit.ts";
import { OUTCOME_LABELS } from "../ballots/rules.ts";
import type { Ballot, SubjectDescription } from "../ballots/subjects.ts";
import { initiatives } from "../initiatives/tables.ts";
import { mailCarriers } from "./notify.ts";
import { canDecideLabel, canWithdrawLabel } from "./policy.ts";
import { labelGrants, labelProposals, labels } from "./tables.ts";

async function proposalWithNames(db: Db, where: ReturnType<typeof eq>) {
  const [row] = await db.select({
    proposal: labelProposals, labelName: labels.name,
    initiativeTitle: initiatives.title, initiativeSlug: initiatives.slug,
  }).from(labelProposals)
    .innerJoin(labels, eq(labels.id, labelProposals.labelId))
    .innerJoin(initiatives, eq(initiatives.id, labelProposals.initiativeId))
    .where(where);

  return row;
}

/** What the ballot page shows of a label proposal. */
export async function describeLabelProposal(
  db: Db, proposalId: string,
): Promise<SubjectDescription> {
  const row = await proposalWithNames(db, eq(labelProposals.id, proposalId));
  if (!row) throw notFound("Cette proposition n'existe pas.");

  return {
    title: `Label « ${row.labelName} » pour « ${row.initiativeTitle} »`,
    lines: row.proposal.readings.map((r) => ({
      term: r.criterion, text: r.reading })),
    link: { href: `/initiatives/${row.initiativeSlug}`,
      label: `Voir l'initiative « ${row.initiativeTitle} »` },
  };
}

/**
 * Applies a closed ballot to its proposal: grants the label when adopted,
 * records the decision and tells the carriers, in the closing's
 * transaction.
 */
export async function onLabelBallotClosed(
  ctx: Ctx, ballot: Ballot,
): Promise<void> {
  const now = ctx.now();
  const row = await proposalWithNames(ctx.db,
    eq(labelProposals.ballotId, ballot.id));
  if (!row) throw notFound("Cette proposition n'existe pas.");
  const { proposal } = row;
  const granted = ballot.outcome === "adopted";

  await ctx.db.update(labelProposals).set({
    status: granted ? "granted" : "refused", decidedAt: now,
  }).where(eq(labelProposals.id, proposal.id));
  if (granted) {
    await ctx.db.insert(labelGrants).values({
      labelId: proposal.labelId, initiativeId: proposal.initiativeId,
      proposalId: proposal.id, grantedAt: now,
    });
  }
  await recordAudit(ctx.db, ctx.actor, { action: "label.decided",
    subjectKind: "label_proposal", subjectId: proposal.id,
    details: { outcome: ballot.outcome, granted,
      votesCast: ballot.votesCast, for: ballot.forCount,
      against: ballot.againstCount, abstain: ballot.abstainCount,
      electorateSize: ballot.electorateSize } }, now);

  await mailCarriers(ctx.db, ctx.config, proposal.initiativeId, {
    key: `label-decided:${proposal.id}`,
    subject: granted
      ? `Label « ${row.labelName} » attribué à « ${row.initiativeTitle} »`
      : `Label « ${row.labelName} » : décision du collectif`,
    text: `Bonjour,\n\nLe collectif de labellisation a voté sur la `
      + `proposition de l'initiative « ${row.initiativeTitle} » pour le `
      + `label « ${row.labelName} » : ${OUTCOME_LABELS[ballot.outcome!]}.\n`
      + `Votes exprimés : ${ballot.votesCast} sur ${ballot.electorateSize} `
      + `membres (pour ${ballot.forCount}, contre ${ballot.againstCount}, `
      + `abstentions ${ballot.abstainCount}).\n`
      + (granted ? "Le label est attribué et figure au registre public.\n"
        : "Le label n'est pas attribué.\n")
      + "L'association vous communiquera les motifs de la décision.",
  });
}

/** Staff write the reasons of a decision once the ballot is closed. */
export async function addDecisionReasons(
  ctx: Ctx, input: { proposalId: string; reasons: string },
) {
  if (!canDecideLabel(ctx.actor)) throw forbidden();
  const reasons = input.reasons.trim();
  if (!reasons) {
    throw invalid("Indiquez les motifs de la décision.",
      { reasons: "Indiquez les motifs de la décision." });
  }

  return ctx.db.transaction(async (tx) => {
    const row = await proposalWithNames(tx,
      eq(labelProposals.id, input.proposalId));
    if (!row) throw notFound("Cette proposition n'existe pas.");
    if (row.proposal.status === "open") {
      throw conflict("Le scrutin n'est pas clos : la décision n'est pas "
        + "encore prise.");
    }
    await tx.update(labelProposals).set({ reasons })
      .where(eq(labelProposals.id, input.proposalId));
    await recordAudit(tx, ctx.actor, { action: "label.reasons_added",
      subjectKind: "label_proposal", subjectId: input.proposalId,
      details: { reasons } }, ctx.now());
    await mailCarriers(tx, ctx.config, row.proposal.initiativeId, {
      key: `label-reasons:${input.proposalId}:${ctx.now().getTime()}`,
      subject: `Label « ${row.labelName} » : motifs de la décision`,
      text: `Bonjour,\n\nVoici les motifs de la décision sur l'initiative `
        + `« ${row.initiativeTitle} » pour le label « ${row.labelName} » :`
        + `\n\n${reasons}`,
    });
  });
}

/**
 * Withdraws a granted label with a reason. The grant stays, marked
 * withdrawn, so the register keeps the history.
 */
export async function withdrawLabel(
  ctx: Ctx, input: { grantId: string; reason: string },
) {
  if (!canWithdrawLabel(ctx.actor)) throw forbidden();
  const reason = input.reason.trim();
  if (!reason) {
    throw invalid("Indiquez le motif du retrait.",
      { reason: "Indiquez le motif du retrait." });
  }

  return ctx.db.transaction(async (tx) => {
    const [grant] = await tx.update(labelGrants).set({
      withdrawnAt: ctx.now(), withdrawalReason: reason,
      withdrawnBy: personIdOf(ctx.actor),
    }).where(and(eq(labelGrants.id, input.grantId),
      isNull(labelGrants.withdrawnAt))).returning();
    if (!grant) {
      const [exists] = await tx.select({ id: labelGrants.id })
        .from(labelGrants).where(eq(labelGrants.id, input.grantId));
      if (!exists) throw notFound("Ce label attribué n'existe pas.");
      throw conflict("Ce label a déjà été retiré.");
    }
    const row = await proposalWithNames(tx,
      eq(labelProposals.id, grant.proposalId));
    await recordAudit(tx, ctx.actor, { action: "label.withdrawn",
      subjectKind: "label_grant", subjectId: grant.id,
      details: { reason, label: row.labelName,
        initiative: row.initiativeTitle } }, ctx.now());
    await mailCarriers(tx, ctx.config, grant.initiativeId, {
      key: `label-withdrawn:${grant.id}`,
      subject: `Retrait du label « ${row.labelName} »`,
      text: `Bonjour,\n\nL'association retire le label « ${row.labelName} »`
        + ` de l'initiative « ${row.initiativeTitle} ».\nMotif : ${reason}`,
    });

    return grant;
  });
}
