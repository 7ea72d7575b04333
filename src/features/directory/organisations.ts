import { and, eq, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, FOREIGN_KEY_VIOLATION, invalid, isPgError, notFound,
  pgConstraint, unauthenticated, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { fold } from "../territories/search.ts";
import {
  validateOrganisation, type OrganisationInput,
} from "./organisation-input.ts";
import {
  canCreateOrganisation, canEditOrganisation, canEditStaffFields,
} from "./policy.ts";
import {
  memberships, organisations, organisationTerritories,
} from "./tables.ts";

export type OrganisationRow = typeof organisations.$inferSelect;

/** "Commune de Loos-en-Gohelle" → "commune-de-loos-en-gohelle". */
export const slugify = (name: string) =>
  fold(name).replace(/ /g, "-").slice(0, 80) || "structure";

/** The organisation's slug, numbered after namesakes'. */
export async function freeSlug(db: Db, name: string): Promise<string> {
  let base = slugify(name);
  // These words are pages of the directory, not organisations.
  if (["nouvelle", "export"].includes(base)) base = `${base}-structure`;
  const taken = new Set((await db.select({ slug: organisations.slug })
    .from(organisations).where(or(eq(organisations.slug, base),
      sql`${organisations.slug} like ${`${base}-%`}`))).map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;

  return slug;
}

/**
 * Records the territories an organisation works in and refreshes its
 * territory scope: every one of them, its commune, and all that contain
 * them. Runs in the caller's transaction so the two never disagree.
 */
export async function saveOrganisationTerritories(
  tx: Db, organisationId: string, territoryIds: string[],
) {
  await tx.delete(organisationTerritories)
    .where(eq(organisationTerritories.organisationId, organisationId));
  if (territoryIds.length > 0) {
    await tx.insert(organisationTerritories).values(territoryIds.map(
      (territoryId) => ({ organisationId, territoryId })));
  }
  await refreshTerritoryScope(tx, organisationId);
}

export async function refreshTerritoryScope(tx: Db, organisationId: string) {
  await tx.execute(sql`update organisations o set territory_scope =
    coalesce((select array_agg(distinct a order by a)
      from territories t cross join unnest(t.ancestors) a
      where t.id = o.commune_id or t.id in (
        select territory_id from organisation_territories ot
        where ot.organisation_id = o.id)), '{}')
    where o.id = ${organisationId}`);
}

function databaseError(error: unknown): never {
  if (isPgError(error, UNIQUE_VIOLATION)
    && pgConstraint(error) !== "organisations_slug_key") {
    throw invalid("Une structure de ce nom existe déjà dans cette ville.",
      { name: "Une structure de ce nom existe déjà dans cette ville." });
  }
  if (isPgError(error, FOREIGN_KEY_VIOLATION)) {
    throw invalid("Un territoire indiqué est inconnu.",
      { territories: "Un territoire indiqué est inconnu." });
  }
  throw error;
}

/** Creates an organisation in the directory (staff only). */
export async function createOrganisation(
  ctx: Ctx, input: OrganisationInput,
): Promise<OrganisationRow> {
  if (!canCreateOrganisation(ctx.actor)) throw forbidden();
  const { values, territoryIds } = validateOrganisation(input);

  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.transaction(async (tx) => {
        const slug = await freeSlug(tx, values.name);
        const [org] = await tx.insert(organisations)
          .values({ ...values, slug }).returning();
        await saveOrganisationTerritories(tx, org.id, territoryIds);

        return (await getRow(tx, org.id))!;
      });
    } catch (error) {
      // Two creations of namesakes at once: the second takes the next slug.
      if (attempt < 2 && pgConstraint(error) === "organisations_slug_key") {
        continue;
      }
      databaseError(error);
    }
  }
}

const getRow = async (db: Db, id: string) =>
  (await db.select().from(organisations).where(eq(organisations.id, id)))[0];

export async function isMemberOf(
  db: Db, personId: string, organisationId: string,
): Promise<boolean> {
  const rows = await db.select({ one: sql`1` }).from(memberships)
    .where(and(eq(memberships.personId, personId),
      eq(memberships.organisationId, organisationId)));

  return rows.length > 0;
}

/** Refuses whoever may not edit the organisation. */
export async function requireEditable(ctx: Ctx, org: OrganisationRow) {
  // A visitor is asked to sign in: they may be an ally of this one.
  if (ctx.actor.kind !== "person") throw unauthenticated();
  const member = ctx.actor.kind === "person"
    && await isMemberOf(ctx.db, ctx.actor.id, org.id);
  if (!canEditOrganisation(ctx.actor, member)) throw forbidden();
}

export const CONCURRENT_EDIT = "Quelqu'un d'autre a modifié cette structure "
  + "pendant que vous la modifiiez. Vos saisies sont conservées ci-dessous : "
  + "vérifiez-les puis enregistrez à nouveau pour remplacer l'autre version.";

/**
 * Saves an edited organisation if nobody changed it since `version` was
 * read; otherwise refuses with a conflict, so no one's edit is lost
 * silently. Allies keep the charter facts and notes recorded by staff.
 */
export async function updateOrganisation(
  ctx: Ctx, input: OrganisationInput & { id: string; version: number },
): Promise<OrganisationRow> {
  const current = await getRow(ctx.db, input.id);
  if (!current) throw notFound();
  await requireEditable(ctx, current);
  const { values, territoryIds } = validateOrganisation(input);
  if (!canEditStaffFields(ctx.actor)) {
    values.charterSignatory = current.charterSignatory;
    values.charterSignedOn = current.charterSignedOn;
    values.staffNotes = current.staffNotes;
  }

  try {
    return await ctx.db.transaction(async (tx) => {
      const [saved] = await tx.update(organisations).set({
        ...values,
        version: sql`${organisations.version} + 1`,
        updatedAt: ctx.now(),
      }).where(and(eq(organisations.id, input.id),
        eq(organisations.version, input.version))).returning();
      if (!saved) throw conflict(CONCURRENT_EDIT);
      await saveOrganisationTerritories(tx, saved.id, territoryIds);

      return (await getRow(tx, saved.id))!;
    });
  } catch (error) {
    databaseError(error);
  }
}
