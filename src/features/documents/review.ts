import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, notFound,
} from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { people } from "../accounts/tables.ts";
import { recordAudit } from "../audit/audit.ts";
import type { DocumentRow } from "./documents.ts";
import { canReviewDocuments } from "./policy.ts";
import { documents } from "./tables.ts";

/**
 * Staff's review of the base: a deposit is published or refused, a
 * published document may later be withdrawn; the depositor is told each
 * time, and each step is in the audit trail.
 */

async function decide(
  ctx: Ctx, id: string, status: "published" | "refused", note: string,
) {
  if (!canReviewDocuments(ctx.actor)) throw forbidden();

  return ctx.db.transaction(async (tx) => {
    const [doc] = await tx.update(documents).set({
      status, reviewNote: note, updatedAt: ctx.now(),
      publishedAt: status === "published" ? ctx.now() : null,
    }).where(and(eq(documents.id, id), eq(documents.status, "submitted")))
      .returning();
    if (!doc) {
      const [exists] = await tx.select({ id: documents.id }).from(documents)
        .where(eq(documents.id, id));
      if (!exists) throw notFound("Ce document n'existe pas.");
      throw conflict("Ce document a déjà été examiné.");
    }
    await recordAudit(tx, ctx.actor, { action: `document.${status}`,
      subjectKind: "document", subjectId: doc.id,
      details: note ? { note } : {} }, ctx.now());
    await tellDepositor(tx, ctx, doc);

    return doc;
  });
}

async function tellDepositor(tx: Db, ctx: Ctx, doc: DocumentRow) {
  if (!doc.depositedBy) return;
  const [person] = await tx.select({ email: people.email }).from(people)
    .where(eq(people.id, doc.depositedBy));
  if (!person?.email) return;
  const url = `${ctx.config.baseUrl}/fonds/documents/${doc.slug}`;
  const note = doc.reviewNote ? `\n\nMot de l'équipe :\n${doc.reviewNote}`
    : "";
  const text = doc.status === "published"
    ? `Votre document « ${doc.title} » est publié dans le fonds `
      + `documentaire :\n${url}`
    : doc.status === "withdrawn"
      ? `Votre document « ${doc.title} » a été retiré du fonds `
        + `documentaire.${note}`
      : `Votre document « ${doc.title} » n'a pas été publié dans le fonds `
        + `documentaire.${note}`;
  await enqueueMail(tx, {
    to: person.email,
    subject: doc.status === "published" ? "Votre document est publié"
      : doc.status === "withdrawn" ? "Votre document a été retiré"
      : "Votre document n'a pas été publié",
    text: `${text}\n\n-- \n${ctx.config.siteName} — ${ctx.config.baseUrl}\n`,
    dedupeKey: `document:${doc.id}:${doc.status}`,
  });
}

/** Staff validate a deposit: the document is public and searchable. */
export async function publishDocument(ctx: Ctx, input: { id: string }) {
  return decide(ctx, input.id, "published", "");
}

/** Staff refuse a deposit, with a word for the depositor. */
export async function refuseDocument(
  ctx: Ctx, input: { id: string; note?: string },
) {
  if (!canReviewDocuments(ctx.actor)) throw forbidden();
  const note = (input.note ?? "").trim();
  if (note.length > 2000) {
    throw invalid("Le message est trop long.", { note: "2 000 signes au plus." });
  }

  return decide(ctx, input.id, "refused", note);
}

/**
 * Staff withdraw a published document, saying why: it leaves the search,
 * the feed and the API, and stays for its depositor and staff to see.
 */
export async function withdrawDocument(
  ctx: Ctx, input: { id: string; note?: string },
) {
  if (!canReviewDocuments(ctx.actor)) throw forbidden();
  const note = (input.note ?? "").trim();
  if (!note) {
    throw invalid("Dites pourquoi le document est retiré.",
      { note: "Indiquez la raison du retrait." });
  }
  if (note.length > 2000) {
    throw invalid("Le message est trop long.", { note: "2 000 signes au plus." });
  }

  return ctx.db.transaction(async (tx) => {
    const [doc] = await tx.update(documents).set({
      status: "withdrawn", reviewNote: note, updatedAt: ctx.now(),
    }).where(and(eq(documents.id, input.id),
      eq(documents.status, "published"))).returning();
    if (!doc) {
      const [exists] = await tx.select({ id: documents.id }).from(documents)
        .where(eq(documents.id, input.id));
      if (!exists) throw notFound("Ce document n'existe pas.");
      throw conflict("Ce document n'est pas publié.");
    }
    await recordAudit(tx, ctx.actor, { action: "document.withdrawn",
      subjectKind: "document", subjectId: doc.id, details: { note } },
    ctx.now());
    await tellDepositor(tx, ctx, doc);

    return doc;
  });
}
