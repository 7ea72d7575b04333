import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
  unauthenticated,
} from "../../domain/errors.ts";
import { PARIS_GAP, readParisLocal } from "../../domain/time.ts";
import { recordAudit } from "../audit/audit.ts";
import { people } from "../accounts/tables.ts";
import { documents } from "../documents/tables.ts";
import { inWords, mailPerson, textUrl } from "./notify.ts";
import {
  canOpenDebate, canProposeDoctrine, canReadDraftDoctrine,
} from "./policy.ts";
import {
  DOCTRINE_KINDS, doctrineTexts, doctrineVersions, type DoctrineStatus,
} from "./tables.ts";
import { isUuid } from "../../domain/ids.ts";

export type DoctrineText = typeof doctrineTexts.$inferSelect;
export type DoctrineVersion = typeof doctrineVersions.$inferSelect;

export const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Line ends as a browser's text area sends them are kept as "\n". */
export const normalise = (text: string) => text.replace(/\r\n?/g, "\n");

/** Statuses of a text whose round is under way. */
export const UNDER_WAY: DoctrineStatus[] = ["proposed", "debate", "voting"];

/** The latest version of a text; inside a transaction, after its lock. */
export async function latestVersion(
  db: Db, textId: string,
): Promise<DoctrineVersion> {
  const [version] = await db.select().from(doctrineVersions)
    .where(eq(doctrineVersions.textId, textId))
    .orderBy(desc(doctrineVersions.number)).limit(1);
  if (!version) throw notFound("Ce texte n'a aucune version.");

  return version;
}

/** The text row, locked until the end of the caller's transaction. */
export async function lockText(db: Db, textId: string) {
  const [text] = isUuid(textId) ? await db.select().from(doctrineTexts)
    .where(eq(doctrineTexts.id, textId)).for("update") : [];
  if (!text) throw notFound("Ce texte n'existe pas.");

  return text;
}

export interface ProposeDoctrineInput {
  documentId: string;
  /** Why the text belongs in the doctrine. */
  reason: string;
}

/**
 * Proposes a text of the base for the doctrine. Its body becomes version
 * 1. Proposing again a text already validated or rejected starts a
 * revision: a new round on the same text, from its validated version.
 */
export async function proposeDoctrine(
  ctx: Ctx, input: ProposeDoctrineInput,
): Promise<DoctrineText> {
  const person = requirePerson(ctx.actor);
  if (!canProposeDoctrine(ctx.actor)) throw forbidden();
  const reason = normalise(input.reason ?? "").trim();
  const fields: Record<string, string> = {};
  if (!reason) fields.reason = "Dites pourquoi ce texte a sa place dans la "
    + "doctrine.";
  else if (reason.length > 5000) fields.reason = "5 000 caractères au plus.";
  const [document] = isUuid(input.documentId ?? "")
    ? await ctx.db.select().from(documents)
      .where(eq(documents.id, input.documentId)) : [];
  if (!document || document.status !== "published"
    || !(DOCTRINE_KINDS as readonly string[]).includes(document.kind)) {
    fields.documentId = "Choisissez un constat, un référentiel, une étude "
      + "ou un texte clé publié du fonds documentaire.";
  } else if (!document.body.trim()) {
    fields.documentId = "Ce document n'a pas de texte à débattre.";
  }
  if (Object.keys(fields).length) {
    throw invalid("La proposition n'a pas pu être enregistrée.", fields);
  }

  const now = ctx.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [existing] = await tx.select().from(doctrineTexts)
        .where(eq(doctrineTexts.documentId, document.id)).for("update");
      const text = existing
        ? await startRevision(tx, existing, person.id, reason, now)
        : await firstProposal(tx, document, person.id, reason, now);
      await recordAudit(tx, ctx.actor, { action: "doctrine.proposed",
        subjectKind: "doctrine_text", subjectId: text.id,
        details: { documentId: document.id, round: text.round, reason } },
      now);

      return text;
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw conflict("Ce texte vient d'être proposé par quelqu'un d'autre.");
    }
    throw error;
  }
}

async function firstProposal(
  tx: Db, document: typeof documents.$inferSelect, personId: string,
  reason: string, now: Date,
) {
  const [text] = await tx.insert(doctrineTexts).values({
    slug: document.slug, documentId: document.id, reason,
    proposedBy: personId, createdAt: now, updatedAt: now,
  }).returning();
  await tx.insert(doctrineVersions).values({
    textId: text.id, number: 1, body: normalise(document.body),
    authorId: personId, reason: "Texte du fonds documentaire proposé.",
    createdAt: now,
  });

  return text;
}

async function startRevision(
  tx: Db, text: DoctrineText, personId: string, reason: string, now: Date,
) {
  if (UNDER_WAY.includes(text.status)) {
    throw conflict("Ce texte est déjà en cours d'examen.");
  }
  // A revision starts from what the community validated, not from the
  // amendments of a round it rejected.
  const latest = await latestVersion(tx, text.id);
  if (text.validatedVersion && latest.number !== text.validatedVersion) {
    const [validated] = await tx.select().from(doctrineVersions)
      .where(and(eq(doctrineVersions.textId, text.id),
        eq(doctrineVersions.number, text.validatedVersion)));
    await tx.insert(doctrineVersions).values({
      textId: text.id, number: latest.number + 1, body: validated.body,
      authorId: personId, createdAt: now,
      reason: `Révision à partir de la version ${text.validatedVersion} `
        + "validée.",
    });
  }
  const [revised] = await tx.update(doctrineTexts).set({
    status: "proposed", round: text.round + 1, reason, proposedBy: personId,
    debateOpenedAt: null, debateEndsAt: null, ballotId: null,
    ballotVersion: null, updatedAt: now,
  }).where(eq(doctrineTexts.id, text.id)).returning();

  return revised;
}

/**
 * Staff open the debate of a proposed text until an end date: allies
 * comment and amend meanwhile. The proposer is told.
 */
export async function openDebate(
  ctx: Ctx, input: { textId: string; endsAt: string },
): Promise<DoctrineText> {
  if (!canOpenDebate(ctx.actor)) {
    throw ctx.actor.kind === "visitor" ? unauthenticated() : forbidden();
  }
  const now = ctx.now();
  const read = readParisLocal(input.endsAt ?? "");
  const endsAt = read.date;
  if (!endsAt || endsAt.getTime() <= now.getTime()) {
    throw invalid("Le débat n'a pas pu être ouvert.", { endsAt:
      read.problem === "gap" ? PARIS_GAP
        : read.problem === "date" ? "Cette date n'existe pas : vérifiez le "
          + "jour, le mois et l'heure."
          : "Indiquez une date de fin de débat à venir." });
  }

  return ctx.db.transaction(async (tx) => {
    const text = await lockText(tx, input.textId);
    if (text.status !== "proposed") {
      throw conflict("Le débat ne peut s'ouvrir que sur un texte proposé.");
    }
    const [opened] = await tx.update(doctrineTexts).set({
      status: "debate", debateOpenedAt: now, debateEndsAt: endsAt,
      updatedAt: now,
    }).where(eq(doctrineTexts.id, text.id)).returning();
    await recordAudit(tx, ctx.actor, { action: "doctrine.debate_opened",
      subjectKind: "doctrine_text", subjectId: text.id,
      details: { round: text.round, endsAt: endsAt.toISOString() } }, now);
    const title = await titleOf(tx, text.documentId);
    await mailPerson(tx, ctx.config, text.proposedBy, {
      key: `doctrine-debate:${text.id}:${text.round}`,
      subject: `Débat ouvert sur « ${title} »`,
      text: `Bonjour,\n\nL'association ouvre le débat sur le texte que vous `
        + `avez proposé pour la doctrine, « ${title} », jusqu'au `
        + `${inWords(endsAt)}. Les allié·es peuvent le commenter et `
        + `proposer des amendements ; c'est à vous (ou à l'équipe) de les `
        + `accepter ou de les refuser : ${textUrl(ctx.config, text.slug)}`,
    });

    return opened;
  });
}

export async function titleOf(db: Db, documentId: string) {
  const [row] = await db.select({ title: documents.title }).from(documents)
    .where(eq(documents.id, documentId));

  return row?.title ?? "";
}

export interface DoctrineEntry {
  text: DoctrineText;
  title: string;
  kind: string;
  summary: string;
}

const entryColumns = {
  text: doctrineTexts, title: documents.title, kind: documents.kind,
  summary: documents.summary,
};

/** The doctrine: every text with a validated version, by title. */
export async function findDoctrine(ctx: Ctx): Promise<DoctrineEntry[]> {
  return ctx.db.select(entryColumns).from(doctrineTexts)
    .innerJoin(documents, eq(documents.id, doctrineTexts.documentId))
    .where(isNotNull(doctrineTexts.validatedVersion))
    .orderBy(documents.title);
}

/** Texts under way (proposed, debated, voted on), for signed-in people. */
export async function findDoctrineProposals(
  ctx: Ctx,
): Promise<DoctrineEntry[]> {
  if (!canReadDraftDoctrine(ctx.actor)) throw unauthenticated();

  return ctx.db.select(entryColumns).from(doctrineTexts)
    .innerJoin(documents, eq(documents.id, doctrineTexts.documentId))
    .where(inArray(doctrineTexts.status, UNDER_WAY))
    .orderBy(desc(doctrineTexts.updatedAt));
}

/** Published texts of the base that may be proposed, or revised. */
export async function findProposableDocuments(ctx: Ctx) {
  if (!canProposeDoctrine(ctx.actor)) throw unauthenticated();

  return ctx.db.select({ id: documents.id, title: documents.title,
    kind: documents.kind }).from(documents)
    .leftJoin(doctrineTexts, eq(doctrineTexts.documentId, documents.id))
    .where(and(eq(documents.status, "published"),
      inArray(documents.kind, [...DOCTRINE_KINDS]),
      sql`length(trim(${documents.body})) > 0`,
      sql`(${doctrineTexts.status} is null
        or ${doctrineTexts.status} in ('validated', 'rejected'))`))
    .orderBy(documents.title);
}

/** Every version of a text, oldest first, with its author's name. */
export async function findVersions(db: Db, textId: string) {
  return db.select({ version: doctrineVersions, authorName: people.fullName })
    .from(doctrineVersions)
    .leftJoin(people, eq(people.id, doctrineVersions.authorId))
    .where(eq(doctrineVersions.textId, textId))
    .orderBy(doctrineVersions.number);
}
