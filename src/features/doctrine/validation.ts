import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, unauthenticated,
} from "../../domain/errors.ts";
import { PARIS_GAP, readParisLocal } from "../../domain/time.ts";
import { recordAudit } from "../audit/audit.ts";
import { openBallot } from "../ballots/ballots.ts";
import { countElectorate, findElectorateEmails } from "../ballots/electorate.ts";
import { describeQuorum, MAJORITY_LABELS } from "../ballots/rules.ts";
import type { Ballot } from "../ballots/subjects.ts";
import {
  MAJORITIES, QUORUM_KINDS, type Majority, type QuorumKind,
} from "../ballots/tables.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { footer, inWords, textUrl } from "./notify.ts";
import { canOpenDoctrineBallot } from "./policy.ts";
import { doctrineAmendments, doctrineTexts } from "./tables.ts";
import { latestVersion, lockText, titleOf } from "./texts.ts";

const ALL_ALLIES = { kind: "all_allies" as const, id: null };

export interface ValidationBallotInput {
  textId: string;
  /** "2026-12-10T18:00", Paris time, from a datetime-local field. */
  closesAt: string;
  quorumKind: string;
  quorumValue: string;
  majority: string;
}

/**
 * At the end of the debate, staff ask all allies whether the current
 * version becomes doctrine, with the quorum and majority they choose. The
 * generic ballot does the counting; every ally is told.
 */
export async function openValidationBallot(
  ctx: Ctx, input: ValidationBallotInput,
): Promise<Ballot> {
  if (!canOpenDoctrineBallot(ctx.actor)) {
    throw ctx.actor.kind === "visitor" ? unauthenticated() : forbidden();
  }
  const now = ctx.now();
  const fields: Record<string, string> = {};
  const read = readParisLocal(input.closesAt ?? "");
  const closesAt = read.date;
  if (!closesAt || closesAt.getTime() <= now.getTime()) {
    fields.closesAt = read.problem === "gap" ? PARIS_GAP
      : read.problem === "date" ? "Cette date n'existe pas : vérifiez le "
        + "jour, le mois et l'heure."
        : "Indiquez une date de fin de scrutin à venir.";
  }
  const quorumKind = input.quorumKind as QuorumKind;
  if (!QUORUM_KINDS.includes(quorumKind)) {
    fields.quorumKind = "Choisissez un quorum en part ou en nombre.";
  }
  const quorumValue = Number(input.quorumValue);
  const electorate = await countElectorate(ctx.db, ALL_ALLIES, now);
  if (!Number.isInteger(quorumValue) || quorumValue < 1
    || (quorumKind === "share" && quorumValue > 100)) {
    fields.quorumValue = quorumKind === "share"
      ? "Un pourcentage entre 1 et 100." : "Un nombre entier d'au moins 1.";
  } else if (quorumKind === "count" && quorumValue > electorate) {
    fields.quorumValue = `Le quorum dépasse le nombre d'allié·es qui `
      + `peuvent voter (${electorate}).`;
  }
  const majority = input.majority as Majority;
  if (!MAJORITIES.includes(majority)) {
    fields.majority = "Choisissez une majorité.";
  }
  if (electorate === 0) {
    fields.closesAt = "Aucun·e allié·e ne peut voter aujourd'hui.";
  }
  if (Object.keys(fields).length) {
    throw invalid("Le scrutin n'a pas pu être ouvert.", fields);
  }

  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const text = await lockText(tx, input.textId);
    if (text.status !== "debate" || !text.debateEndsAt) {
      throw conflict("Le scrutin s'ouvre à la fin d'un débat.");
    }
    if (text.debateEndsAt.getTime() > now.getTime()) {
      throw conflict(`Le débat n'est pas terminé : il se clôt le `
        + `${inWords(text.debateEndsAt)}.`);
    }
    const pending = await tx.select({ id: doctrineAmendments.id })
      .from(doctrineAmendments).where(and(
        eq(doctrineAmendments.textId, text.id),
        eq(doctrineAmendments.status, "proposed")));
    if (pending.length) {
      throw conflict(`${pending.length === 1 ? "Un amendement attend"
        : `${pending.length} amendements attendent`} encore une décision.`);
    }
    const version = await latestVersion(tx, text.id);
    const title = await titleOf(tx, text.documentId);
    const ballot = await openBallot(txCtx, {
      subjectKind: "doctrine", subjectId: text.id,
      question: `Valider « ${title} » (version ${version.number}) comme `
        + "texte de la doctrine de l'Alliance ?",
      electorate: ALL_ALLIES, quorumKind, quorumValue, majority,
      closesAt: closesAt!,
    });
    await tx.update(doctrineTexts).set({ status: "voting",
      ballotId: ballot.id, ballotVersion: version.number, updatedAt: now })
      .where(eq(doctrineTexts.id, text.id));
    await recordAudit(tx, ctx.actor, { action: "doctrine.ballot_opened",
      subjectKind: "doctrine_text", subjectId: text.id,
      details: { ballotId: ballot.id, version: version.number,
        round: text.round } }, now);

    const url = `${ctx.config.baseUrl}/scrutins/${ballot.id}`;
    for (const to of await findElectorateEmails(tx, ALL_ALLIES, now)) {
      await enqueueMail(tx, { to,
        dedupeKey: `ballot-opened:${ballot.id}:${to}`,
        subject: `Scrutin ouvert : « ${title} » dans la doctrine ?`,
        text: `Bonjour,\n\nLe débat sur « ${title} » est clos. Tous les `
          + `allié·es sont appelé·es à voter : ${ballot.question}\n`
          + `Quorum : ${describeQuorum(quorumKind, quorumValue)}, `
          + `${MAJORITY_LABELS[majority]}.\nLe texte soumis au vote : `
          + `${textUrl(ctx.config, text.slug)}\nVous pouvez voter jusqu'au `
          + `${inWords(ballot.closesAt)} : ${url}${footer(ctx.config)}` });
    }

    return ballot;
  });
}
