import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { forbidden } from "../../domain/errors.ts";
import { findMembershipIds, loadForEdit } from "./carriers.ts";
import { logHistory } from "./history.ts";
import { removeImage, storeImage } from "./images.ts";
import type { Initiative } from "./initiative-detail.ts";
import {
  checkCarriersExist, checkContact, validateInput, type InitiativeInput,
} from "./initiative-input.ts";
import { scopeOf, writeParts } from "./initiative-parts.ts";
import { canModerateInitiatives } from "./policy.ts";
import { initiativeCarriers, initiatives } from "./tables.ts";

/**
 * Edits an initiative. Carriers and staff only; an allied carrier may add
 * only organisations they belong to and must stay a carrier. A published
 * initiative stays published, and the edit is logged.
 */
export async function updateInitiative(
  ctx: Ctx, id: string, input: InitiativeInput,
): Promise<Initiative> {
  const { actor, initiative } = await loadForEdit(ctx, id);
  if (!canModerateInitiatives(actor)) {
    const memberOf = await findMembershipIds(ctx.db, actor.id);
    const current = (await ctx.db.select().from(initiativeCarriers)
      .where(eq(initiativeCarriers.initiativeId, id)))
      .map((c) => c.organisationId);
    const ids = input.carrierIds;
    const allowed = ids.every((c) => memberOf.includes(c)
      || current.includes(c));
    if (!allowed || !ids.some((c) => memberOf.includes(c))) {
      throw forbidden("Vous ne pouvez ajouter que des structures dont vous "
        + "faites partie, et devez rester porteur·se de l'initiative.");
    }
  }

  const valid = await validateInput(ctx, input);
  await checkCarriersExist(ctx.db, valid.carrierIds);
  const contactPersonId = await checkContact(ctx.db, valid,
    initiative.contactPersonId ?? actor.id);
  const image = input.image ? await storeImage(ctx.config, input.image.content)
    : null;

  const updated = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(initiatives).set({
      title: valid.title, summary: valid.summary,
      description: valid.description, contactPersonId,
      themes: valid.themes, stage: valid.stage,
      startsOn: valid.startsOn, endsOn: valid.endsOn, links: valid.links,
      ...(image ? { imageFile: image.file,
        imageContentType: image.contentType } : {}),
      territoryScope: await scopeOf(tx, valid.territoryIds),
      version: sql`${initiatives.version} + 1`,
      updatedAt: ctx.now(),
    }).where(eq(initiatives.id, id)).returning();
    await writeParts(tx, id, valid);
    await logHistory(tx, id, actor.id, "edited", row.status);

    return row;
  });
  if (image && initiative.imageFile) {
    await removeImage(ctx.config, initiative.imageFile);
  }

  return updated;
}
