import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { conflict, forbidden, invalid, notFound } from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { people } from "../accounts/tables.ts";
import { recordAudit } from "../audit/audit.ts";
import { canReadSheet, canReviewSheet, canSubmitSheet } from "./policy.ts";
import { getSheetRow, loadParties, type SheetRow } from "./sheets.ts";
import { experienceSheets, type SheetStatus } from "./tables.ts";
import { recordSheetVersion } from "./versions.ts";

/** Moves a sheet on if it is still where the actor saw it. */
async function moveSheet(
  tx: Db, sheet: SheetRow, from: readonly SheetStatus[],
  set: Partial<typeof experienceSheets.$inferInsert>,
): Promise<SheetRow> {
  const [moved] = await tx.update(experienceSheets).set({
    ...set, version: sql`${experienceSheets.version} + 1`,
  }).where(and(eq(experienceSheets.id, sheet.id),
    inArray(experienceSheets.status, [...from]))).returning();
  if (!moved) {
    throw conflict("La fiche a changé d'état entre-temps. Rechargez la "
      + "page.");
  }

  return moved;
}

/** The e-mail addresses of the sheet's authors and facilitator. */
async function writersEmails(tx: Db, sheet: SheetRow): Promise<string[]> {
  const rows = await tx.select({ email: people.email }).from(people)
    .where(and(isNotNull(people.email), or(
      sql`${people.id} in (select person_id from sheet_authors
        where sheet_id = ${sheet.id})`,
      sheet.facilitatorId ? eq(people.id, sheet.facilitatorId) : sql`false`)));

  return rows.map((r) => r.email!);
}

async function mailWriters(tx: Db, ctx: Ctx, sheet: SheetRow, key: string,
  subject: string, text: string) {
  for (const to of await writersEmails(tx, sheet)) {
    await enqueueMail(tx, { to, subject, text,
      dedupeKey: `${key}:${sheet.id}:${sheet.version}:${to}` });
  }
}

/** The facilitator hands the sheet to staff for review. */
export async function submitSheet(ctx: Ctx, sheetId: string) {
  const sheet = await getSheetRow(ctx.db, sheetId);
  const parties = await loadParties(ctx.db, sheet);
  if (!canReadSheet(ctx.actor, parties)) throw notFound();
  if (!canSubmitSheet(ctx.actor, parties)) {
    throw forbidden("Seul·e le·la maïeuticien·ne de la fiche peut la "
      + "soumettre, quand elle est en cours d'écriture.");
  }
  if (!sheet.title.trim() || !sheet.summary.trim()) {
    throw invalid("Donnez un résumé à la fiche avant de la soumettre.");
  }

  return ctx.db.transaction(async (tx) => {
    const moved = await moveSheet(tx, sheet, ["draft", "sent_back"],
      { status: "submitted", updatedAt: ctx.now() });
    await recordAudit(tx, ctx.actor, { action: "sheet.submitted",
      subjectKind: "experience_sheet", subjectId: sheet.id,
      details: { title: sheet.title } }, ctx.now());
    const staff = await tx.select({ email: people.email }).from(people)
      .where(and(eq(people.role, "staff"), eq(people.accountStatus, "active"),
        isNotNull(people.email)));
    for (const { email } of staff) {
      await enqueueMail(tx, { to: email!,
        dedupeKey: `sheet-submitted:${sheet.id}:${moved.version}:${email}`,
        subject: `Fiche à relire : « ${sheet.title} »`,
        text: `Bonjour,\n\nLa fiche d'expérience « ${sheet.title} » est `
          + `soumise à relecture par son·sa maïeuticien·ne.\n\n`
          + `${ctx.config.baseUrl}/admin/fiches\n` });
    }

    return moved;
  });
}

/**
 * Staff publish a submitted sheet. Each publication freezes the sheet in
 * its history; a sheet published again after correction gets a new
 * version and keeps its first publication date.
 */
export async function publishSheet(ctx: Ctx, sheetId: string) {
  if (!canReviewSheet(ctx.actor)) throw forbidden();
  const sheet = await getSheetRow(ctx.db, sheetId);
  if (sheet.status !== "submitted") {
    throw conflict("Seule une fiche soumise à relecture peut être publiée.");
  }

  return ctx.db.transaction(async (tx) => {
    const moved = await moveSheet(tx, sheet, ["submitted"], {
      status: "published", reviewRemarks: "", updatedAt: ctx.now(),
      publishedAt: sheet.publishedAt ?? ctx.now(),
    });
    const version = await recordSheetVersion(tx, ctx.actor, sheet.id,
      "published", ctx.now());
    await recordAudit(tx, ctx.actor, { action: "sheet.published",
      subjectKind: "experience_sheet", subjectId: sheet.id,
      details: { title: sheet.title, version } }, ctx.now());
    await mailWriters(tx, ctx, moved, "sheet-published",
      `Votre fiche « ${sheet.title} » est publiée`,
      `Bonjour,\n\nL'équipe a publié la fiche d'expérience « ${sheet.title} » `
      + `(version ${version}). Elle est en ligne à cette adresse :\n\n`
      + `${ctx.config.baseUrl}/fiches/${sheet.slug}\n\nMerci pour ce `
      + `partage.\n`);

    return moved;
  });
}

/**
 * Staff send a submitted sheet back to its writers with remarks, or
 * withdraw a published one the same way: it then attests nothing until
 * it is published again.
 */
export async function sendBackSheet(ctx: Ctx, input: {
  sheetId: string; remarks: string;
}) {
  if (!canReviewSheet(ctx.actor)) throw forbidden();
  const sheet = await getSheetRow(ctx.db, input.sheetId);
  const remarks = (input.remarks ?? "").trim();
  if (!remarks) {
    throw invalid("Dites aux auteur·es ce qui est à revoir.",
      { remarks: "Écrivez vos remarques." });
  }
  if (remarks.length > 10_000) {
    throw invalid("Les remarques sont trop longues.",
      { remarks: "10 000 caractères au plus." });
  }
  if (sheet.status !== "submitted" && sheet.status !== "published") {
    throw conflict("Cette fiche n'est ni soumise ni publiée.");
  }
  const withdrawn = sheet.status === "published";

  return ctx.db.transaction(async (tx) => {
    const moved = await moveSheet(tx, sheet, [sheet.status], {
      status: "sent_back", reviewRemarks: remarks, updatedAt: ctx.now() });
    await recordAudit(tx, ctx.actor, {
      action: withdrawn ? "sheet.withdrawn" : "sheet.sent_back",
      subjectKind: "experience_sheet", subjectId: sheet.id,
      details: { title: sheet.title, remarks } }, ctx.now());
    await mailWriters(tx, ctx, moved, "sheet-sent-back",
      withdrawn ? `Votre fiche « ${sheet.title} » est retirée pour révision`
        : `Votre fiche « ${sheet.title} » est à reprendre`,
      `Bonjour,\n\nL'équipe a relu la fiche d'expérience « ${sheet.title} » `
      + `et vous la renvoie avec ces remarques :\n\n${remarks}\n\n`
      + `Vous pouvez la reprendre ici, puis votre maïeuticien·ne la `
      + `soumettra de nouveau :\n${ctx.config.baseUrl}/fiches/${sheet.slug}`
      + `/modifier\n`);

    return moved;
  });
}
