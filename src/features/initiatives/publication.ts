import { and, eq } from "drizzle-orm";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, notFound,
} from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { findCarrierEmails, loadForEdit } from "./carriers.ts";
import { logHistory } from "./history.ts";
import { canModerateInitiatives } from "./policy.ts";
import { initiatives } from "./tables.ts";

/** A carrier hands a draft to staff for moderation. */
export async function submitInitiative(ctx: Ctx, id: string) {
  const { actor, initiative } = await loadForEdit(ctx, id);
  if (initiative.status !== "draft") {
    throw conflict("Seul un brouillon peut être soumis.");
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(initiatives).set({ status: "submitted",
      updatedAt: ctx.now() }).where(and(eq(initiatives.id, id),
      eq(initiatives.status, "draft")));
    await logHistory(tx, id, actor.id, "submitted", "submitted");
  });
}

async function moderate(ctx: Ctx, id: string) {
  const actor = requirePerson(ctx.actor);
  if (!canModerateInitiatives(actor)) throw forbidden();
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(eq(initiatives.id, id));
  if (!initiative) throw notFound();

  return { actor, initiative };
}

/** Staff publish a draft or submitted initiative. */
export async function publishInitiative(ctx: Ctx, id: string) {
  const { actor, initiative } = await moderate(ctx, id);
  if (initiative.status === "published") {
    throw conflict("Cette initiative est déjà publiée.");
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(initiatives).set({
      status: "published", updatedAt: ctx.now(),
      publishedAt: initiative.publishedAt ?? ctx.now(),
    }).where(eq(initiatives.id, id));
    await logHistory(tx, id, actor.id, "published", "published");
  });
}

/**
 * Staff take a published initiative back to draft, with a reason that the
 * carriers receive by e-mail.
 */
export async function unpublishInitiative(
  ctx: Ctx, id: string, reason: string,
) {
  const { actor, initiative } = await moderate(ctx, id);
  const why = reason.trim();
  if (!why) {
    throw invalid("Indiquez la raison du retrait.",
      { reason: "Indiquez la raison : elle est envoyée aux porteur·ses." });
  }
  if (initiative.status !== "published") {
    throw conflict("Cette initiative n'est pas publiée.");
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(initiatives).set({ status: "draft",
      updatedAt: ctx.now() }).where(eq(initiatives.id, id));
    await logHistory(tx, id, actor.id, "unpublished", "draft", why);
    for (const to of await findCarrierEmails(tx, id)) {
      await enqueueMail(tx, {
        to,
        subject: `Initiative retirée de la publication : ${initiative.title}`,
        text: `Bonjour,\n\nL'équipe de l'association a retiré de la `
          + `publication l'initiative « ${initiative.title} ». Elle redevient `
          + `un brouillon, que vous pouvez modifier puis soumettre à nouveau.`
          + `\n\nRaison : ${why}\n\n${ctx.config.baseUrl}/initiatives/`
          + `${initiative.slug}\n`,
      });
    }
  });
}

/** Carriers or staff archive an initiative that has ended. */
export async function archiveInitiative(ctx: Ctx, id: string) {
  const { actor, initiative } = await loadForEdit(ctx, id);
  if (initiative.status === "archived") {
    throw conflict("Cette initiative est déjà archivée.");
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(initiatives).set({ status: "archived",
      updatedAt: ctx.now() }).where(eq(initiatives.id, id));
    await logHistory(tx, id, actor.id, "archived", "archived");
  });
}
