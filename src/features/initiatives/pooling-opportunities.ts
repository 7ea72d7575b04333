import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import { forbidden } from "../../domain/errors.ts";
import { canModerateInitiatives } from "./policy.ts";
import type { SuggestionKind } from "./pooling-suggestions.ts";

export interface PoolingOpportunity {
  id: string;
  createdAt: Date;
  initiativeSlug: string;
  initiativeTitle: string;
  requesterName: string | null;
  requesterEmail: string | null;
  targetKind: SuggestionKind;
  targetSlug: string;
  targetName: string;
  /** Contact of the suggested side: its contact person or its e-mail. */
  targetContact: string | null;
  reasons: string[];
}

const opportunityColumns = sql`d.id, d.created_at as "createdAt",
  i.slug as "initiativeSlug", i.title as "initiativeTitle",
  p.full_name as "requesterName", p.email as "requesterEmail",
  case when d.target_initiative_id is null then 'organisation'
    else 'initiative' end as "targetKind",
  coalesce(ti.slug, o.slug) as "targetSlug",
  coalesce(ti.title, o.name) as "targetName",
  coalesce(tp.full_name || ' <' || tp.email || '>', o.email)
    as "targetContact",
  d.reasons`;

const opportunityJoins = sql`from pooling_decisions d
  join initiatives i on i.id = d.initiative_id
  left join people p on p.id = d.person_id
  left join initiatives ti on ti.id = d.target_initiative_id
  left join people tp on tp.id = ti.contact_person_id
  left join organisations o on o.id = d.target_organisation_id`;

const toOpportunity = (r: PoolingOpportunity) =>
  ({ ...r, createdAt: new Date(r.createdAt) });

/** Staff: every "let's talk" opened across the alliance, newest first. */
export async function findPoolingOpportunities(ctx: Ctx) {
  const actor = requirePerson(ctx.actor);
  if (!canModerateInitiatives(actor)) throw forbidden();
  const rows = await query<PoolingOpportunity>(ctx.db, sql`
    select ${opportunityColumns} ${opportunityJoins}
    where d.decision = 'talk' order by d.created_at desc limit 500`);

  return rows.map(toOpportunity);
}

/**
 * The exchanges the actor takes part in, on either side: opened for an
 * initiative they carry, or towards an initiative or organisation of theirs.
 */
export async function findMyPoolingContacts(ctx: Ctx) {
  const actor = requirePerson(ctx.actor);
  const rows = await query<PoolingOpportunity>(ctx.db, sql`
    select ${opportunityColumns} ${opportunityJoins}
    where d.decision = 'talk' and (
      exists (select 1 from initiative_carriers c join memberships m
        on m.organisation_id = c.organisation_id and m.person_id = ${actor.id}
        where c.initiative_id in (d.initiative_id, d.target_initiative_id))
      or exists (select 1 from memberships m where m.person_id = ${actor.id}
        and m.organisation_id = d.target_organisation_id))
    order by d.created_at desc limit 200`);

  return rows.map(toOpportunity);
}
