import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import { forbidden } from "../../domain/errors.ts";
import { findMembershipIds } from "./carriers.ts";
import { isUuid } from "../../domain/ids.ts";
import { canModerateInitiatives } from "./policy.ts";
import type { InitiativeStage, InitiativeStatus } from "./tables.ts";

export interface InitiativeSummary {
  id: string;
  slug: string;
  title: string;
  summary: string;
  themes: string[];
  stage: InitiativeStage;
  status: InitiativeStatus;
  imageFile: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
  carriers: string[];
}

/** The columns of an `InitiativeSummary`, for every list. */
export const summaryColumns = sql`i.id, i.slug, i.title, i.summary, i.themes,
  i.stage, i.status, i.image_file as "imageFile",
  i.published_at as "publishedAt", i.updated_at as "updatedAt",
  coalesce((select array_agg(o.name order by o.name)
    from initiative_carriers c join organisations o on o.id = c.organisation_id
    where c.initiative_id = i.id), '{}') as carriers`;

/** The dates of a summary read by a raw query, as dates again. */
export function toDates<T extends { publishedAt: any; updatedAt: any }>(
  row: T,
): T {
  return { ...row,
    publishedAt: row.publishedAt ? new Date(row.publishedAt) : null,
    updatedAt: new Date(row.updatedAt) };
}

/** Initiatives carried by an organisation, for its profile. */
export async function findInitiativesOfOrganisation(
  ctx: Ctx, organisationId: string,
): Promise<InitiativeSummary[]> {
  if (!isUuid(organisationId)) return [];
  const member = ctx.actor.kind === "person" && (canModerateInitiatives(
    ctx.actor) || (await findMembershipIds(ctx.db, ctx.actor.id))
    .includes(organisationId));
  const visible = member ? sql`i.status <> 'archived'`
    : sql`i.status = 'published'`;
  const rows = await query<InitiativeSummary>(ctx.db, sql`
    select ${summaryColumns} from initiatives i
    where ${visible} and exists (select 1 from initiative_carriers c
      where c.initiative_id = i.id and c.organisation_id = ${organisationId})
    order by i.published_at desc nulls first, i.title`);

  return rows.map(toDates);
}

/** The initiatives the actor carries, whatever their state. */
export async function findMyInitiatives(ctx: Ctx) {
  const actor = requirePerson(ctx.actor);
  const rows = await query<InitiativeSummary>(ctx.db, sql`
    select ${summaryColumns} from initiatives i
    where exists (select 1 from initiative_carriers c
      join memberships m on m.organisation_id = c.organisation_id
      where c.initiative_id = i.id and m.person_id = ${actor.id})
    order by i.updated_at desc`);

  return rows.map(toDates);
}

/** Staff's queue: submitted first, then drafts and published ones. */
export async function findInitiativesToModerate(ctx: Ctx) {
  const actor = requirePerson(ctx.actor);
  if (!canModerateInitiatives(actor)) throw forbidden();
  const rows = await query<InitiativeSummary>(ctx.db, sql`
    select ${summaryColumns} from initiatives i
    where i.status in ('submitted', 'published')
    order by i.status = 'submitted' desc, i.updated_at desc limit 200`);

  return rows.map(toDates);
}
