import crypto from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import {
  forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { parseParisLocal } from "../../domain/time.ts";
import { events, occurrences } from "../agenda/tables.ts";
import { personIdOf, recordAudit } from "../audit/audit.ts";
import { openBallot } from "../ballots/ballots.ts";
import { findElectorateEmails } from "../ballots/electorate.ts";
import { describeQuorum, MAJORITY_LABELS } from "../ballots/rules.ts";
import { ballots } from "../ballots/tables.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { initiatives } from "../initiatives/tables.ts";
import { mailCarriers } from "./notify.ts";
import { canProposeForLabel } from "./policy.ts";
import {
  labelGrants, labellingCollectives, labelProposals, labels,
} from "./tables.ts";
import { isUuid } from "../../domain/ids.ts";

export interface ProposalInput {
  labelId: string;
  initiativeId: string;
  collectiveId: string;
  /** "2026-12-10T18:00", Paris time, from a datetime-local field. */
  closesAt: string;
  occurrenceId?: string;
  /** Staff's reading for each criterion of the label, in its order. */
  readings: string[];
}

const pick = async <T>(rows: Promise<T[]>) => (await rows)[0];

/**
 * Proposes an initiative for a label: records staff's reading against each
 * criterion and opens the collective's ballot, in one transaction with the
 * audit row and the e-mails to the carriers and to the voters.
 */
export async function proposeInitiative(ctx: Ctx, input: ProposalInput) {
  if (!canProposeForLabel(ctx.actor)) throw forbidden();
  const fields: Record<string, string> = {};
  const ok = (id: string | undefined) => Boolean(id && isUuid(id));
  const label = ok(input.labelId) ? await pick(ctx.db.select().from(labels)
    .where(eq(labels.id, input.labelId))) : undefined;
  if (!label) throw notFound("Ce label n'existe pas.");
  const initiative = ok(input.initiativeId) ? await pick(ctx.db.select()
    .from(initiatives).where(eq(initiatives.id, input.initiativeId)))
    : undefined;
  if (!initiative) fields.initiativeId = "Choisissez une initiative.";
  else if (initiative.status !== "published") {
    fields.initiativeId = "Seule une initiative publiée peut être proposée.";
  }
  const collective = ok(input.collectiveId) ? await pick(ctx.db.select()
    .from(labellingCollectives)
    .where(eq(labellingCollectives.id, input.collectiveId))) : undefined;
  if (!collective) fields.collectiveId = "Choisissez un collectif.";
  const closesAt = parseParisLocal(input.closesAt ?? "");
  if (!closesAt) fields.closesAt = "Indiquez la date et l'heure de fin.";
  if (input.occurrenceId && !await isLabellingSession(ctx,
    input.occurrenceId)) {
    fields.occurrenceId = "Choisissez une session de labellisation.";
  }
  const readings = label.criteria.map((criterion, i) => ({
    criterion, reading: (input.readings[i] ?? "").trim() }));
  readings.forEach((r, i) => {
    if (!r.reading) fields[`reading${i}`] = `Donnez votre lecture pour le `
      + `critère « ${r.criterion} ».`;
  });
  if (Object.keys(fields).length) {
    throw invalid("La proposition n'a pas pu être enregistrée.", fields);
  }

  const proposalId = crypto.randomUUID();
  try {
    return await ctx.db.transaction(async (tx) => {
      const txCtx = { ...ctx, db: tx };
      const held = await tx.select({ id: labelGrants.id }).from(labelGrants)
        .where(and(eq(labelGrants.labelId, label.id),
          eq(labelGrants.initiativeId, initiative!.id),
          isNull(labelGrants.withdrawnAt)));
      if (held.length) {
        throw invalid("Cette initiative porte déjà ce label.",
          { initiativeId: "Cette initiative porte déjà ce label." });
      }
      const ballot = await openBallot(txCtx, {
        subjectKind: "label_proposal", subjectId: proposalId,
        question: `Attribuer le label « ${label.name} » à l'initiative « `
          + `${initiative!.title} » ?`,
        electorate: { kind: "collective", id: collective!.id },
        quorumKind: collective!.quorumKind,
        quorumValue: collective!.quorumValue,
        majority: collective!.majority,
        closesAt: closesAt!,
      });
      const [proposal] = await tx.insert(labelProposals).values({
        id: proposalId, labelId: label.id, initiativeId: initiative!.id,
        collectiveId: collective!.id, ballotId: ballot.id,
        occurrenceId: input.occurrenceId || null, readings,
        proposedBy: personIdOf(ctx.actor), createdAt: ctx.now(),
      }).returning();
      await recordAudit(tx, ctx.actor, { action: "label.proposed",
        subjectKind: "label_proposal", subjectId: proposal.id,
        details: { label: label.name, initiative: initiative!.title,
          ballotId: ballot.id, readings } }, ctx.now());

      const url = `${ctx.config.baseUrl}/scrutins/${ballot.id}`;
      await mailCarriers(tx, ctx.config, initiative!.id, {
        key: `label-proposed:${proposal.id}`,
        subject: `Votre initiative est proposée au label « ${label.name} »`,
        text: `Bonjour,\n\nL'association propose l'initiative « `
          + `${initiative!.title} » pour le label « ${label.name} ». Le `
          + `collectif de labellisation « ${collective!.name} » vote `
          + `jusqu'au ${closesAtText(ballot.closesAt)}. Vous serez `
          + `informé·e de la décision.`,
      });
      for (const to of await findElectorateEmails(tx,
        { kind: "collective", id: collective!.id }, ctx.now())) {
        await enqueueMail(tx, { to, dedupeKey: `ballot-opened:${ballot.id}:${to}`,
          subject: `Scrutin ouvert : label « ${label.name} »`,
          text: `Bonjour,\n\nUn scrutin est ouvert pour votre collectif : `
            + `${ballot.question}\nQuorum : ${describeQuorum(
              ballot.quorumKind, ballot.quorumValue)}, ${MAJORITY_LABELS[
              ballot.majority]}.\nVous pouvez voter jusqu'au `
            + `${closesAtText(ballot.closesAt)} : ${url}\n` });
      }

      return proposal;
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw invalid("Cette initiative est déjà proposée pour ce label : un "
        + "scrutin est en cours.", { initiativeId: "Un scrutin est déjà en "
        + "cours pour cette initiative et ce label." });
    }
    throw error;
  }
}

const closesAtText = (d: Date) => new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris", dateStyle: "full", timeStyle: "short",
}).format(d);

async function isLabellingSession(ctx: Ctx, occurrenceId: string) {
  if (!isUuid(occurrenceId)) return false;
  const [row] = await ctx.db.select({ id: occurrences.id }).from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .where(and(eq(occurrences.id, occurrenceId),
      eq(events.kind, "labelling")));

  return Boolean(row);
}

/** Labelling sessions of the agenda, to tie a proposal to one. */
export async function findLabellingSessions(ctx: Ctx) {
  if (!canProposeForLabel(ctx.actor)) throw forbidden();

  return ctx.db.select({ id: occurrences.id, title: events.title,
    startsAt: occurrences.startsAt }).from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .where(and(eq(events.kind, "labelling"),
      sql`${occurrences.startsAt} > ${ctx.now().toISOString()}::timestamptz
        - interval '30 days'`))
    .orderBy(occurrences.startsAt).limit(50);
}

/** Published initiatives staff may propose, by title. */
export async function findProposableInitiatives(ctx: Ctx) {
  if (!canProposeForLabel(ctx.actor)) throw forbidden();

  return ctx.db.select({ id: initiatives.id, title: initiatives.title })
    .from(initiatives).where(eq(initiatives.status, "published"))
    .orderBy(initiatives.title);
}

/** Every proposal with its ballot and grant, newest first, for staff. */
export async function findProposals(ctx: Ctx, id?: string) {
  if (!canProposeForLabel(ctx.actor)) throw forbidden();

  return ctx.db.select({
    proposal: labelProposals,
    labelName: labels.name,
    initiativeTitle: initiatives.title,
    collectiveName: labellingCollectives.name,
    ballot: ballots,
    grant: labelGrants,
  }).from(labelProposals)
    .innerJoin(labels, eq(labels.id, labelProposals.labelId))
    .innerJoin(initiatives, eq(initiatives.id, labelProposals.initiativeId))
    .innerJoin(labellingCollectives,
      eq(labellingCollectives.id, labelProposals.collectiveId))
    .innerJoin(ballots, eq(ballots.id, labelProposals.ballotId))
    .leftJoin(labelGrants, eq(labelGrants.proposalId, labelProposals.id))
    .where(id ? eq(labelProposals.id, id) : undefined)
    .orderBy(desc(labelProposals.createdAt));
}

export async function getProposal(ctx: Ctx, id: string) {
  const [row] = isUuid(id) ? await findProposals(ctx, id) : [];
  if (!row) throw notFound("Cette proposition n'existe pas.");

  return row;
}
