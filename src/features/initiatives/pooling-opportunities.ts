import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import {
  requirePerson, type Actor, type Ctx,
} from "../../domain/context.ts";
import { forbidden } from "../../domain/errors.ts";
import { canSee } from "../directory/policy.ts";
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
  /**
   * Contact of the suggested side the viewer may read: its contact
   * person, its e-mail or its members'; null when none is shown.
   */
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
  tp.full_name as "contactName", tp.email as "contactEmail",
  tp.email_visibility as "contactEmailVisibility",
  o.email as "organisationEmail",
  o.email_visibility as "organisationEmailVisibility",
  (select json_agg(json_build_object('fullName', mp.full_name,
      'email', mp.email, 'emailVisibility', mp.email_visibility)
      order by mp.full_name)
    from memberships mm join people mp on mp.id = mm.person_id
    where mm.organisation_id = o.id and mp.email is not null
      and mp.account_status = 'active') as members,
  d.reasons`;

const opportunityJoins = sql`from pooling_decisions d
  join initiatives i on i.id = d.initiative_id
  left join people p on p.id = d.person_id
  left join initiatives ti on ti.id = d.target_initiative_id
  left join people tp on tp.id = ti.contact_person_id
  left join organisations o on o.id = d.target_organisation_id`;

interface OpportunityRow extends Omit<PoolingOpportunity, "targetContact"> {
  contactName: string | null;
  contactEmail: string | null;
  contactEmailVisibility: string | null;
  organisationEmail: string | null;
  organisationEmailVisibility: string | null;
  members: { fullName: string; email: string;
    emailVisibility: string }[] | null;
}

// Members named when an organisation's own e-mail is not shown.
const MEMBER_CONTACTS = 3;

/**
 * The contact of the suggested side, as the directory shows it to this
 * actor: the suggested side did not ask for the exchange, so an address it
 * keeps for staff stays hidden. An initiative gives its contact person;
 * an organisation its e-mail, or else the e-mails its members show.
 */
function targetContact(actor: Actor, row: OpportunityRow): string | null {
  if (row.contactName) {
    const email = canSee(actor, row.contactEmailVisibility ?? "staff")
      ? row.contactEmail : null;

    return email ? `${row.contactName} <${email}>` : row.contactName;
  }
  if (row.organisationEmail
    && canSee(actor, row.organisationEmailVisibility ?? "staff")) {
    return row.organisationEmail;
  }
  const members = (row.members ?? [])
    .filter((m) => canSee(actor, m.emailVisibility))
    .slice(0, MEMBER_CONTACTS)
    .map((m) => `${m.fullName} <${m.email}>`);

  return members.length > 0 ? members.join(", ") : null;
}

const toOpportunity = (actor: Actor, r: OpportunityRow): PoolingOpportunity =>
  ({ id: r.id, createdAt: new Date(r.createdAt),
    initiativeSlug: r.initiativeSlug, initiativeTitle: r.initiativeTitle,
    requesterName: r.requesterName, requesterEmail: r.requesterEmail,
    targetKind: r.targetKind, targetSlug: r.targetSlug,
    targetName: r.targetName, targetContact: targetContact(actor, r),
    reasons: r.reasons });

/** Staff: every "let's talk" opened across the alliance, newest first. */
export async function findPoolingOpportunities(ctx: Ctx) {
  const actor = requirePerson(ctx.actor);
  if (!canModerateInitiatives(actor)) throw forbidden();
  const rows = await query<OpportunityRow>(ctx.db, sql`
    select ${opportunityColumns} ${opportunityJoins}
    where d.decision = 'talk' order by d.created_at desc limit 500`);

  return rows.map((row) => toOpportunity(actor, row));
}

/**
 * The exchanges the actor takes part in, on either side: opened for an
 * initiative they carry, or towards an initiative or organisation of theirs.
 */
export async function findMyPoolingContacts(ctx: Ctx) {
  const actor = requirePerson(ctx.actor);
  const rows = await query<OpportunityRow>(ctx.db, sql`
    select ${opportunityColumns} ${opportunityJoins}
    where d.decision = 'talk' and (
      exists (select 1 from initiative_carriers c join memberships m
        on m.organisation_id = c.organisation_id and m.person_id = ${actor.id}
        where c.initiative_id in (d.initiative_id, d.target_initiative_id))
      or exists (select 1 from memberships m where m.person_id = ${actor.id}
        and m.organisation_id = d.target_organisation_id))
    order by d.created_at desc limit 200`);

  return rows.map((row) => toOpportunity(actor, row));
}
