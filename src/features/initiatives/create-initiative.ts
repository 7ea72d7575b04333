import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, isPgError, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { findMembershipIds } from "./carriers.ts";
import { logHistory, personOrNull } from "./history.ts";
import { removeImage, storeImage } from "./images.ts";
import type { Initiative } from "./initiative-detail.ts";
import {
  checkCarriersExist, checkContact, validateInput, type InitiativeInput,
} from "./initiative-input.ts";
import { scopeOf, writeParts } from "./initiative-parts.ts";
import { canCreateInitiativeFor } from "./policy.ts";
import { initiatives } from "./tables.ts";

/** The slug a title gives, before any number that makes it unique. */
export function slugify(title: string): string {
  const base = title.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")
    .slice(0, 60).replace(/-$/, "");

  return base || "initiative";
}

async function freeSlug(db: Db, title: string) {
  const base = slugify(title);
  const rows = await query<{ slug: string }>(db, sql`select slug from
    initiatives where slug = ${base} or slug like ${`${base}-%`}`);
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

/**
 * Creates a draft initiative. An ally creates it only for organisations
 * they belong to; staff for any.
 */
export async function createInitiative(
  ctx: Ctx, input: InitiativeInput,
): Promise<Initiative> {
  const actor = requirePerson(ctx.actor);
  const memberOf = await findMembershipIds(ctx.db, actor.id);
  if (!canCreateInitiativeFor(actor, memberOf, input.carrierIds)) {
    throw forbidden("Vous ne pouvez déclarer une initiative que pour une "
      + "structure dont vous faites partie.");
  }

  const valid = await validateInput(ctx, input);
  await checkCarriersExist(ctx.db, valid.carrierIds);
  const contactPersonId = await checkContact(ctx.db, valid,
    personOrNull(actor.id));
  const image = input.image ? await storeImage(ctx.config, input.image.content)
    : null;

  try {
    return await ctx.db.transaction(async (tx) => {
      const [created] = await tx.insert(initiatives).values({
        slug: await freeSlug(tx, valid.title),
        title: valid.title, summary: valid.summary,
        description: valid.description, contactPersonId,
        themes: valid.themes, stage: valid.stage, status: "draft",
        startsOn: valid.startsOn, endsOn: valid.endsOn, links: valid.links,
        imageFile: image?.file ?? null,
        imageContentType: image?.contentType ?? null,
        territoryScope: await scopeOf(tx, valid.territoryIds),
        createdBy: personOrNull(actor.id),
      }).returning();
      await writeParts(tx, created.id, valid);
      await logHistory(tx, created.id, actor.id, "created", "draft");

      return created;
    });
  } catch (error) {
    if (image) await removeImage(ctx.config, image.file);
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw conflict("Une initiative porte déjà ce titre. Réessayez.");
    }
    throw error;
  }
}
