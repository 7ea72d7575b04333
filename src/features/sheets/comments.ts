import { asc, eq } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { requirePerson } from "../../domain/context.ts";
import { forbidden, invalid, notFound } from "../../domain/errors.ts";
import { canCommentSheet, canReadSheet } from "./policy.ts";
import { getSheetRow, loadParties } from "./sheets.ts";
import { SHEET_SECTIONS, sheetComments, type SheetSection } from "./tables.ts";

/** Writers and staff leave a remark on one section of a sheet. */
export async function commentSheetSection(ctx: Ctx, input: {
  sheetId: string; section: string; body: string;
}) {
  const me = requirePerson(ctx.actor);
  const sheet = await getSheetRow(ctx.db, input.sheetId);
  const parties = await loadParties(ctx.db, sheet);
  if (!canReadSheet(ctx.actor, parties)) throw notFound();
  if (!canCommentSheet(ctx.actor, parties)) throw forbidden();
  const body = (input.body ?? "").trim();
  const fields: Record<string, string> = {};
  if (!SHEET_SECTIONS.includes(input.section as SheetSection)) {
    fields.section = "Choisissez une section.";
  }
  if (!body) fields.body = "Écrivez votre commentaire.";
  else if (body.length > 5000) fields.body = "5 000 caractères au plus.";
  if (Object.keys(fields).length) {
    throw invalid("Le commentaire n'a pas pu être enregistré.", fields);
  }

  const [comment] = await ctx.db.insert(sheetComments).values({
    sheetId: sheet.id, section: input.section as SheetSection,
    authorId: me.id, authorName: me.fullName, body, createdAt: ctx.now(),
  }).returning();

  return comment;
}

/** The comments on a sheet, oldest first, for its writers and staff. */
export async function findSheetComments(ctx: Ctx, sheetId: string) {
  const sheet = await getSheetRow(ctx.db, sheetId);
  if (!canCommentSheet(ctx.actor, await loadParties(ctx.db, sheet))) {
    return [];
  }

  return ctx.db.select().from(sheetComments)
    .where(eq(sheetComments.sheetId, sheet.id))
    .orderBy(asc(sheetComments.createdAt));
}
