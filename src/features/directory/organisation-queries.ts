import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { notFound } from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import {
  findTerritoriesByIds, type TerritorySummary,
} from "../territories/search.ts";
import { canSeeOrganisationParticipation } from "../agenda/policy.ts";
import { requireEditable } from "./organisations.ts";
import { canEditOrganisation } from "./policy.ts";
import {
  presentOrganisation, presentPerson, type PresentedOrganisation,
} from "./present.ts";
import {
  memberships, organisations, organisationTerritories,
} from "./tables.ts";

export interface OrganisationPage {
  organisation: PresentedOrganisation;
  people: (ReturnType<typeof presentPerson> & { role: string })[];
  commune: TerritorySummary | null;
  territories: TerritorySummary[];
  canEdit: boolean;
  canSeeParticipation: boolean;
}

/** An organisation's profile as the actor may see it, with its people. */
export async function getOrganisation(
  ctx: Ctx, slug: string,
): Promise<OrganisationPage> {
  const [org] = await ctx.db.select().from(organisations)
    .where(eq(organisations.slug, slug));
  if (!org) throw notFound("Cette structure n'est pas dans l'annuaire.");

  const members = await ctx.db.select({
    person: people, role: memberships.role,
  }).from(memberships).innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(memberships.organisationId, org.id))
    .orderBy(asc(people.fullName));
  const territoryIds = await organisationTerritoryIds(ctx.db, org.id);
  const [commune] = org.communeId
    ? await findTerritoriesByIds(ctx.db, [org.communeId]) : [];
  const member = members.some((m) => ctx.actor.kind === "person"
    && m.person.id === ctx.actor.id);

  return {
    organisation: presentOrganisation(ctx.actor, org),
    people: members.map((m) => ({
      ...presentPerson(ctx.actor, m.person), role: m.role })),
    commune: commune ?? null,
    territories: await findTerritoriesByIds(ctx.db, territoryIds),
    canEdit: canEditOrganisation(ctx.actor, member),
    canSeeParticipation: canSeeOrganisationParticipation(ctx.actor,
      members.map((m) => m.person.id)),
  };
}

async function organisationTerritoryIds(db: Db, id: string) {
  const rows = await db.select({ id: organisationTerritories.territoryId })
    .from(organisationTerritories)
    .where(eq(organisationTerritories.organisationId, id));

  return rows.map((r) => r.id).sort();
}

/** Everything the edit form needs, for those who may edit. */
export async function getOrganisationForEdit(ctx: Ctx, slug: string) {
  const [org] = await ctx.db.select().from(organisations)
    .where(eq(organisations.slug, slug));
  if (!org) throw notFound("Cette structure n'est pas dans l'annuaire.");
  await requireEditable(ctx, org);
  const territoryIds = await organisationTerritoryIds(ctx.db, org.id);
  const members = await ctx.db.select({
    id: people.id, fullName: people.fullName, role: memberships.role,
  }).from(memberships).innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(memberships.organisationId, org.id))
    .orderBy(asc(people.fullName));

  return {
    organisation: org,
    commune: org.communeId
      ? (await findTerritoriesByIds(ctx.db, [org.communeId]))[0] ?? null
      : null,
    territories: await findTerritoriesByIds(ctx.db, territoryIds),
    members,
  };
}
