import { eq, sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { requirePerson, type Actor, type Ctx } from "../../domain/context.ts";
import { forbidden, notFound } from "../../domain/errors.ts";
import { canEditInitiative } from "./policy.ts";
import { idList } from "./sql.ts";
import { initiatives } from "./tables.ts";

/** Ids of the organisations a person belongs to. */
export async function findMembershipIds(db: Db, personId: string) {
  const rows = await query<{ id: string }>(db, sql`select organisation_id as id
    from memberships where person_id = ${personId}`);

  return rows.map((r) => r.id);
}

/** True when the actor is a member of an organisation carrying it. */
export async function isCarrierOf(
  db: Db, actor: Actor, initiativeId: string,
): Promise<boolean> {
  if (actor.kind !== "person") return false;
  const [row] = await query<{ yes: boolean }>(db, sql`select exists (
    select 1 from initiative_carriers c
    join memberships m on m.organisation_id = c.organisation_id
    where c.initiative_id = ${initiativeId} and m.person_id = ${actor.id})
    as yes`);

  return row.yes;
}

/** The initiative, for one of its carriers or staff to change it. */
export async function loadForEdit(ctx: Ctx, id: string) {
  const actor = requirePerson(ctx.actor);
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(eq(initiatives.id, id));
  if (!initiative) throw notFound();
  const carrier = await isCarrierOf(ctx.db, actor, id);
  if (!canEditInitiative(actor, carrier)) throw forbidden();

  return { actor, initiative, carrier };
}

export interface CarrierRef {
  id: string; slug: string; name: string; kind: string | null;
}

export async function findCarriers(db: Db, id: string) {
  return query<CarrierRef>(db, sql`select o.id, o.slug, o.name, o.kind
    from initiative_carriers c join organisations o on o.id = c.organisation_id
    where c.initiative_id = ${id} order by o.name`);
}

/** E-mail addresses of the carriers' members and of the contact. */
export async function findCarrierEmails(db: Db, id: string) {
  const rows = await query<{ email: string }>(db, sql`
    select distinct lower(p.email) as email from people p
    where p.email is not null and p.account_status = 'active' and (
      p.id = (select contact_person_id from initiatives where id = ${id})
      or p.id in (select m.person_id from memberships m
        join initiative_carriers c on c.organisation_id = m.organisation_id
        where c.initiative_id = ${id}))
    order by 1`);

  return rows.map((r) => r.email);
}

/** Organisations the actor may name as carriers, and their members. */
export async function findCarrierChoices(ctx: Ctx, currentIds: string[] = []) {
  const actor = requirePerson(ctx.actor);
  const organisations = await query<CarrierRef>(ctx.db, sql`
    select o.id, o.slug, o.name, o.kind from organisations o
    where o.id in (select organisation_id from memberships
      where person_id = ${actor.id})
      or o.id = any(${idList(currentIds)}::uuid[])
    order by o.name`);
  const ids = organisations.map((o) => o.id);
  const people = ids.length ? await query<{ id: string; fullName: string }>(
    ctx.db, sql`select distinct p.id, p.full_name as "fullName" from people p
      join memberships m on m.person_id = p.id
      where m.organisation_id = any(${idList(ids)}::uuid[]) order by 2`) : [];

  return { organisations, people };
}

/** Finds an organisation by its exact name, folded (for staff's form). */
export async function findOrganisationIdByName(db: Db, name: string) {
  const rows = await query<{ id: string }>(db, sql`select id from
    organisations where name_key = atelier_fold(${name}) limit 2`);

  return rows.length === 1 ? rows[0].id : null;
}
