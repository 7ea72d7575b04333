import { sql, type SQL } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { parisDay } from "../../domain/time.ts";
import type { ElectorateKind } from "./tables.ts";

export interface Electorate { kind: ElectorateKind; id: string | null }

/**
 * The people who may vote at an instant, as SQL over a person id column
 * and electorate columns. Members of a collective vote while the
 * collective's period covers that day (in Paris) and they were not
 * removed; every electorate needs an active account. "All allies" means
 * the allies themselves: staff run the community's ballots, not vote in
 * them.
 */
function eligibleSql(
  kind: SQL, electorateId: SQL, personId: SQL, now: Date,
): SQL {
  const day = parisDay(now);

  return sql`exists (select 1 from people p where p.id = ${personId}
      and p.account_status = 'active'
      and ((${kind} = 'all_allies' and p.role = 'ally')
        or (${kind} = 'collective' and exists (
        select 1 from labelling_collective_members m
        join labelling_collectives c on c.id = m.collective_id
        where m.collective_id = ${electorateId} and m.person_id = p.id
          and m.removed_at is null
          and c.starts_on <= ${day}::date and c.ends_on >= ${day}::date))))`;
}

/**
 * Eligibility of a person for the ballot aliased `b` in a statement: in
 * its electorate frozen at the opening, and still entitled now (a member
 * removed since, or an account closed, no longer votes).
 */
export const eligibleForBallotSql = (personId: string, now: Date) => sql`(
  exists (select 1 from ballot_voters bv where bv.ballot_id = b.id
    and bv.person_id = ${personId}::uuid)
  and ${eligibleSql(sql.raw("b.electorate_kind"), sql.raw("b.electorate_id"),
    sql`${personId}::uuid`, now)})`;

/**
 * Freezes the electorate of a ballot that opens now: everyone who may
 * vote at this instant. Returns how many they are.
 */
export async function freezeElectorate(
  db: Db, ballotId: string, electorate: Electorate, now: Date,
): Promise<number> {
  const eligible = eligibleSql(sql`${electorate.kind}::text`,
    sql`${electorate.id}::uuid`, sql.raw("x.id"), now);
  const rows = await query<{ person_id: string }>(db, sql`
    insert into ballot_voters (ballot_id, person_id)
    select ${ballotId}::uuid, x.id from people x where ${eligible}
    returning person_id`);

  return rows.length;
}

/**
 * The person may vote in the ballot's electorate today but was not in it
 * when the ballot opened: they joined since.
 */
export async function joinedSinceOpening(
  db: Db, ballotId: string, personId: string, now: Date,
): Promise<boolean> {
  const eligible = eligibleSql(sql.raw("b.electorate_kind"),
    sql.raw("b.electorate_id"), sql`${personId}::uuid`, now);
  const [row] = await query<{ ok: boolean }>(db, sql`select (${eligible}
    and not exists (select 1 from ballot_voters bv where bv.ballot_id = b.id
      and bv.person_id = ${personId}::uuid)) as ok
    from ballots b where b.id = ${ballotId}::uuid`);

  return Boolean(row?.ok);
}

/** How many people could vote now: the base of a share quorum. */
export async function countElectorate(
  db: Db, electorate: Electorate, now: Date,
): Promise<number> {
  const eligible = eligibleSql(sql`${electorate.kind}::text`,
    sql`${electorate.id}::uuid`, sql.raw("x.id"), now);
  const [row] = await query<{ n: number }>(db, sql`select count(*)::int as n
    from people x where ${eligible}`);

  return row.n;
}

/** The e-mail addresses of the people who can vote now. */
export async function findElectorateEmails(
  db: Db, electorate: Electorate, now: Date,
): Promise<string[]> {
  const eligible = eligibleSql(sql`${electorate.kind}::text`,
    sql`${electorate.id}::uuid`, sql.raw("x.id"), now);
  const rows = await query<{ email: string }>(db, sql`select x.email
    from people x where x.email is not null and ${eligible}`);

  return rows.map((r) => r.email);
}
