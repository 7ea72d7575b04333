import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Ctx } from "../../domain/context.ts";
import { requirePerson } from "../../domain/context.ts";
import { forbidden, invalid, notFound } from "../../domain/errors.ts";
import { detectFileType, fileNameFor } from "../../domain/file-types.ts";
import { canEditSheet, canReadSheet } from "./policy.ts";
import { getSheetRow, loadParties } from "./sheets.ts";
import { ATTACHMENT_TYPES, sheetAttachments } from "./tables.ts";

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_ATTACHMENTS = 20;

export const sheetUploadsDir = (config: Config) =>
  path.join(config.uploadsDir, "sheets");

/**
 * Joins a PDF or an image to a sheet its writers may edit. The bytes are
 * checked (type, size), written under a random name in the uploads
 * folder, then recorded; a failed record removes the file.
 */
export async function attachFileToSheet(ctx: Ctx, input: {
  sheetId: string; fileName: string; content: Buffer; truncated?: boolean;
}) {
  const me = requirePerson(ctx.actor);
  const sheet = await getSheetRow(ctx.db, input.sheetId);
  const parties = await loadParties(ctx.db, sheet);
  if (!canReadSheet(ctx.actor, parties)) throw notFound();
  if (!canEditSheet(ctx.actor, parties)) throw forbidden();
  if (input.truncated || input.content.length > MAX_ATTACHMENT_BYTES) {
    throw invalid("Le fichier dépasse 10 Mo.",
      { file: "Le fichier dépasse 10 Mo." });
  }
  if (input.content.length === 0) {
    throw invalid("Le fichier est vide.", { file: "Le fichier est vide." });
  }
  const contentType = detectFileType(input.content, ATTACHMENT_TYPES);
  if (!contentType) {
    throw invalid("Seuls les PDF et les images PNG, JPEG ou WebP sont "
      + "acceptés.", { file: "Ce fichier n'est ni un PDF ni une image "
      + "PNG, JPEG ou WebP." });
  }
  const [{ n }] = await ctx.db.select({ n: count() }).from(sheetAttachments)
    .where(eq(sheetAttachments.sheetId, sheet.id));
  if (n >= MAX_ATTACHMENTS) {
    throw invalid(`Une fiche porte ${MAX_ATTACHMENTS} pièces jointes au `
      + "plus.", { file: "Retirez d'abord une pièce jointe." });
  }

  const dir = sheetUploadsDir(ctx.config);
  await fs.mkdir(dir, { recursive: true });
  const storedName = crypto.randomBytes(24).toString("hex");
  const file = path.join(dir, storedName);
  await fs.writeFile(file, input.content, { flag: "wx", mode: 0o640 });
  try {
    const [row] = await ctx.db.insert(sheetAttachments).values({
      sheetId: sheet.id, storedName, contentType,
      originalName: fileNameFor(input.fileName, contentType, "piece-jointe"),
      size: input.content.length, uploadedBy: me.id, createdAt: ctx.now(),
    }).returning();

    return row;
  } catch (error) {
    await fs.rm(file, { force: true });
    throw error;
  }
}

/** Removes an attachment from a sheet its writers may edit. */
export async function removeSheetAttachment(ctx: Ctx, input: {
  sheetId: string; attachmentId: string;
}) {
  const sheet = await getSheetRow(ctx.db, input.sheetId);
  const parties = await loadParties(ctx.db, sheet);
  if (!canReadSheet(ctx.actor, parties)) throw notFound();
  if (!canEditSheet(ctx.actor, parties)) throw forbidden();
  const [row] = /^[0-9a-f-]{36}$/i.test(input.attachmentId)
    ? await ctx.db.delete(sheetAttachments).where(and(
      eq(sheetAttachments.id, input.attachmentId),
      eq(sheetAttachments.sheetId, sheet.id))).returning() : [];
  if (!row) throw notFound("Cette pièce jointe n'existe pas.");
  await fs.rm(path.join(sheetUploadsDir(ctx.config), row.storedName),
    { force: true });
}

/** An attachment and its bytes, for those who may read the sheet. */
export async function getSheetAttachment(ctx: Ctx, input: {
  sheetId: string; attachmentId: string;
}) {
  const sheet = await getSheetRow(ctx.db, input.sheetId);
  if (!canReadSheet(ctx.actor, await loadParties(ctx.db, sheet))) {
    throw notFound();
  }
  const [row] = /^[0-9a-f-]{36}$/i.test(input.attachmentId)
    ? await ctx.db.select().from(sheetAttachments).where(and(
      eq(sheetAttachments.id, input.attachmentId),
      eq(sheetAttachments.sheetId, sheet.id))) : [];
  if (!row) throw notFound("Cette pièce jointe n'existe pas.");
  // Stored names are ours (hex), so this path never leaves the folder.
  const content = await fs.readFile(
    path.join(sheetUploadsDir(ctx.config), row.storedName))
    .catch(() => { throw notFound("Ce fichier n'est plus disponible."); });

  return { attachment: row, content };
}
