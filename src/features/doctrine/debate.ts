import { eq, sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, FOREIGN_KEY_VIOLATION, invalid, isPgError, notFound,
  UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { personIdOf, recordAudit } from "../audit/audit.ts";
import { mailPerson, textUrl } from "./notify.ts";
import {
  canDecideAmendment, canModerateDebate, canTakePartInDebate,
} from "./policy.ts";
import {
  doctrineAmendments, doctrineComments, doctrineVersions,
} from "./tables.ts";
import {
  latestVersion, lockText, normalise, titleOf, type DoctrineText,
} from "./texts.ts";
import { isUuid } from "../../domain/ids.ts";

export type Amendment = typeof doctrineAmendments.$inferSelect;
export type Comment = typeof doctrineComments.$inferSelect;

/** Refuses a contribution once the debate is not (or no longer) open. */
function requireOpenDebate(text: DoctrineText, now: Date) {
  if (text.status !== "debate" || !text.debateEndsAt
    || text.debateEndsAt.getTime() <= now.getTime()) {
    throw conflict("Le débat sur ce texte n'est pas ouvert : votre "
      + "contribution n'a pas été enregistrée.");
  }
}

/** How many times the passage appears in the body. */
function occurrences(body: string, passage: string): number {
  let count = 0;
  for (let at = body.indexOf(passage); at !== -1;
    at = body.indexOf(passage, at + 1)) count += 1;

  return count;
}

/**
 * How deep a thread goes, top-level comments being at depth 1. A reply to
 * a comment already this deep answers that comment's parent instead, as
 * forums do: the discussion goes on below, side by side, and a chain of
 * replies cannot grow a page without end.
 */
export const MAX_COMMENT_DEPTH = 5;

/**
 * The comment a reply is attached to: the one answered, or its ancestor
 * one level up from MAX_COMMENT_DEPTH. Null when the comment answered is
 * not one of the text's.
 */
async function replyParent(
  db: Db, textId: string, answered: string,
): Promise<string | null> {
  // The chain from the comment answered up to its top-level comment; the
  // key of a parent is checked on insert, so the chain has no loop.
  const chain = await query<{ id: string }>(db, sql`
    with recursive chain (id, parent_id, step) as (
      select id, parent_id, 1 from doctrine_comments
      where id = ${answered}::uuid and text_id = ${textId}::uuid
      union all
      select c.id, c.parent_id, chain.step + 1 from doctrine_comments c
      join chain on c.id = chain.parent_id
    )
    select id from chain order by step`);
  if (chain.length === 0) return null;
  // chain[0] is at depth chain.length; the reply goes one level below the
  // comment at depth min(chain.length, MAX_COMMENT_DEPTH - 1).
  const depth = Math.min(chain.length, MAX_COMMENT_DEPTH - 1);

  return chain[chain.length - depth].id;
}

export interface CommentInput {
  textId: string;
  body: string;
  /** The comment answered, for a reply. */
  parentId?: string;
}

/** An ally comments during the debate, or answers a comment. */
export async function addComment(
  ctx: Ctx, input: CommentInput,
): Promise<Comment> {
  requirePerson(ctx.actor);
  if (!canTakePartInDebate(ctx.actor)) throw forbidden();
  const body = normalise(input.body ?? "").trim();
  if (!body || body.length > 10_000) {
    throw invalid("Le commentaire n'a pas pu être enregistré.",
      { body: body ? "10 000 caractères au plus." : "Écrivez votre "
        + "commentaire." });
  }
  const parentId = input.parentId || null;
  if (parentId && !isUuid(parentId)) {
    throw invalid("Le commentaire n'a pas pu être enregistré.",
      { body: "Le commentaire auquel vous répondez n'existe pas." });
  }
  const now = ctx.now();

  try {
    return await ctx.db.transaction(async (tx) => {
      const text = await lockText(tx, input.textId);
      requireOpenDebate(text, now);
      const attachedTo = parentId
        ? await replyParent(tx, text.id, parentId) : null;
      if (parentId && !attachedTo) {
        throw invalid("Le commentaire n'a pas pu être enregistré.",
          { body: "Le commentaire auquel vous répondez n'existe pas." });
      }
      const [comment] = await tx.insert(doctrineComments).values({
        textId: text.id, round: text.round, parentId: attachedTo, body,
        authorId: personIdOf(ctx.actor), createdAt: now,
      }).returning();

      return comment;
    });
  } catch (error) {
    // The composite key refuses a parent taken from another text.
    if (isPgError(error, FOREIGN_KEY_VIOLATION)) {
      throw invalid("Le commentaire n'a pas pu être enregistré.",
        { body: "Le commentaire auquel vous répondez n'existe pas." });
    }
    throw error;
  }
}

/**
 * Staff hide a comment of a text's debate, at any time. Its replies stay;
 * the trail keeps who hid it and when.
 */
export async function hideComment(
  ctx: Ctx, input: { textId: string; commentId: string },
): Promise<Comment> {
  requirePerson(ctx.actor);
  if (!canModerateDebate(ctx.actor)) {
    throw forbidden("Seule l'équipe peut masquer un commentaire.");
  }
  const [found] = isUuid(input.commentId ?? "")
    ? await ctx.db.select().from(doctrineComments)
      .where(eq(doctrineComments.id, input.commentId)) : [];
  if (!found || found.textId !== input.textId) {
    throw notFound("Ce commentaire n'existe pas.");
  }
  if (found.hiddenAt) return found;
  const now = ctx.now();

  return ctx.db.transaction(async (tx) => {
    const [hidden] = await tx.update(doctrineComments).set({
      hiddenAt: now, hiddenBy: personIdOf(ctx.actor),
    }).where(eq(doctrineComments.id, found.id)).returning();
    await recordAudit(tx, ctx.actor, { action: "doctrine.comment_hidden",
      subjectKind: "doctrine_comment", subjectId: found.id,
      details: { textId: found.textId } }, now);

    return hidden;
  });
}

export interface AmendmentInput {
  textId: string;
  /** An exact passage of the current version. */
  passage: string;
  replacement: string;
  reason: string;
}

/**
 * An ally proposes to replace one passage of the current version. The
 * passage must appear exactly once, so that accepting it is unambiguous.
 */
export async function proposeAmendment(
  ctx: Ctx, input: AmendmentInput,
): Promise<Amendment> {
  requirePerson(ctx.actor);
  if (!canTakePartInDebate(ctx.actor)) throw forbidden();
  const passage = normalise(input.passage ?? "").trim();
  const replacement = normalise(input.replacement ?? "").trim();
  const reason = normalise(input.reason ?? "").trim();
  const fields: Record<string, string> = {};
  if (!passage) fields.passage = "Copiez le passage à remplacer.";
  if (passage && passage === replacement) {
    fields.replacement = "Le nouveau texte est identique au passage.";
  }
  if (replacement.length > 20_000) {
    fields.replacement = "20 000 caractères au plus.";
  }
  if (!reason) fields.reason = "Dites pourquoi vous proposez ce changement.";
  if (Object.keys(fields).length) {
    throw invalid("L'amendement n'a pas pu être enregistré.", fields);
  }
  const now = ctx.now();

  return ctx.db.transaction(async (tx) => {
    const text = await lockText(tx, input.textId);
    requireOpenDebate(text, now);
    const current = await latestVersion(tx, text.id);
    const found = occurrences(current.body, passage);
    if (found !== 1) {
      throw invalid("L'amendement n'a pas pu être enregistré.", {
        passage: found === 0
          ? `Ce passage ne figure pas tel quel dans la version actuelle `
            + `(version ${current.number}) : copiez-le exactement.`
          : "Ce passage apparaît plusieurs fois : citez un passage plus "
            + "long pour qu'il soit unique." });
    }
    const [amendment] = await tx.insert(doctrineAmendments).values({
      textId: text.id, round: text.round, authorId: personIdOf(ctx.actor),
      baseVersion: current.number, passage, replacement, reason,
      createdAt: now,
    }).returning();
    await recordAudit(tx, ctx.actor, { action: "doctrine.amendment_proposed",
      subjectKind: "doctrine_amendment", subjectId: amendment.id,
      details: { textId: text.id, baseVersion: current.number } }, now);

    return amendment;
  });
}

export interface DecisionInput {
  amendmentId: string;
  decision: string;
  note?: string;
}

/**
 * The proposer of the text or staff accept or reject an amendment.
 * Accepting writes the next version in the same transaction. The text row
 * is locked first, so two decisions at once follow each other: the second
 * reads the version the first wrote, and is refused if its passage is gone.
 */
export async function decideAmendment(
  ctx: Ctx, input: DecisionInput,
): Promise<Amendment> {
  requirePerson(ctx.actor);
  const [found] = isUuid(input.amendmentId ?? "")
    ? await ctx.db.select().from(doctrineAmendments)
      .where(eq(doctrineAmendments.id, input.amendmentId)) : [];
  if (!found) throw notFound("Cet amendement n'existe pas.");
  const now = ctx.now();

  try {
    return await ctx.db.transaction(async (tx) => {
      const text = await lockText(tx, found.textId);
      if (!canDecideAmendment(ctx.actor, text)) {
        throw forbidden("Seuls la personne qui a proposé le texte et "
          + "l'équipe tranchent les amendements.");
      }
      if (input.decision !== "accept" && input.decision !== "reject") {
        throw invalid("Choisissez d'accepter ou de refuser l'amendement.",
          { decision: "Choisissez d'accepter ou de refuser." });
      }
      if (text.status !== "debate" || found.round !== text.round) {
        throw conflict("Les amendements ne se tranchent que pendant le "
          + "débat, avant le scrutin.");
      }
      const [amendment] = await tx.select().from(doctrineAmendments)
        .where(eq(doctrineAmendments.id, found.id));
      if (amendment.status !== "proposed") {
        throw conflict("Cet amendement a déjà été tranché.");
      }
      const accepted = input.decision === "accept";
      const resultingVersion = accepted
        ? await applyAmendment(tx, text, amendment, now) : null;
      const note = normalise(input.note ?? "").trim().slice(0, 5000);
      const [decided] = await tx.update(doctrineAmendments).set({
        status: accepted ? "accepted" : "rejected", decidedAt: now,
        decidedBy: personIdOf(ctx.actor), decisionNote: note,
        resultingVersion,
      }).where(eq(doctrineAmendments.id, amendment.id)).returning();
      await recordAudit(tx, ctx.actor, { action: accepted
        ? "doctrine.amendment_accepted" : "doctrine.amendment_rejected",
      subjectKind: "doctrine_amendment", subjectId: amendment.id,
      details: { textId: text.id, resultingVersion, note } }, now);
      const title = await titleOf(tx, text.documentId);
      await mailPerson(tx, ctx.config, amendment.authorId, {
        key: `doctrine-amendment:${amendment.id}`,
        subject: `Votre amendement à « ${title} » est ${accepted
          ? "accepté" : "refusé"}`,
        text: `Bonjour,\n\nVotre amendement au texte « ${title} » est `
          + (accepted ? `accepté : il forme la version ${resultingVersion}.`
            : "refusé.")
          + (note ? `\n\nMotif : ${note}` : "")
          + `\n\n${textUrl(ctx.config, text.slug)}`,
      });

      return decided;
    });
  } catch (error) {
    // The row lock makes this rare; the unique number is the last guard.
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw conflict("Un autre amendement vient d'être accepté : "
        + "rechargez la page et tranchez à nouveau.");
    }
    throw error;
  }
}

async function applyAmendment(
  tx: Ctx["db"], text: DoctrineText, amendment: Amendment,
  now: Date,
): Promise<number> {
  const current = await latestVersion(tx, text.id);
  const found = occurrences(current.body, amendment.passage);
  if (found === 0) {
    throw conflict(`Le passage visé par cet amendement n'existe plus dans `
      + `la version actuelle (version ${current.number}) : un autre `
      + "amendement l'a sans doute modifié. Refusez-le, ou invitez son "
      + "auteur·rice à en proposer un nouveau.");
  }
  if (found > 1) {
    throw conflict("Le passage visé par cet amendement apparaît désormais "
      + "plusieurs fois dans le texte : il ne peut pas être appliqué sans "
      + "ambiguïté. Refusez-le, ou invitez son auteur·rice à en proposer "
      + "un nouveau.");
  }
  const at = current.body.indexOf(amendment.passage);
  const body = current.body.slice(0, at) + amendment.replacement
    + current.body.slice(at + amendment.passage.length);
  const number = current.number + 1;
  await tx.insert(doctrineVersions).values({
    textId: text.id, number, body, authorId: amendment.authorId,
    reason: amendment.reason, createdAt: now,
  });

  return number;
}
