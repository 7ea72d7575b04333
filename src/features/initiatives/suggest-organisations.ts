import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import {
  closeness, pairs, sharedCount, textArray, themeCandidates, type Me,
  type SuggestionRow,
} from "./suggestion-sql.ts";
import type { PoolingKind } from "./tables.ts";

export interface Need { text: string; kind: PoolingKind; stems: string[] }

// Organisations meeting one need, at most.
const STEM_CANDIDATES = 100;

/**
 * Organisations to pool with: shared themes, neighbouring territories,
 * and profiles (skills, themes) holding the French stems of a need: a
 * need is met when two of its stems appear (or its only one). Stems are
 * looked up as substrings of the folded profile, through the directory's
 * trigram index.
 */
export async function suggestOrganisations(
  db: Db, me: Me, needs: Need[], viewerId: string | null, limit: number,
) {
  const shared = sharedCount(sql`s.themes`, me.themes);
  const close = closeness(sql`s.territory_scope`, me.scope);
  // Stems of each need found in the profile, counted once per candidate.
  const hits = needs.map((n) => sql`(${sql.join(n.stems.map((stem) =>
    sql`(o.search_key like ${`%${stem}%`})::int`), sql` + `)})`);
  const met = needs.map((n, j) => sql`case when s.hits[${j + 1}]
    >= ${Math.min(2, n.stems.length)} then s.hits[${j + 1}]::real
    / ${n.stems.length} else 0 end`);
  const matchScore = met.length ? sql.join(met, sql` + `) : sql`0`;
  // Organisations whose French stems meet a need (two of its stems, or
  // its only one), a bounded number per need, through the GIN index on
  // the stems of their profile.
  const byNeed = sql.join(needs.map((n) => {
    const sets = n.stems.length === 1 ? [n.stems] : pairs(n.stems);

    return sql` union (select o.id from organisations o
      where ${sql.join(sets.map((set) => sql`tsvector_to_array(to_tsvector(
        'french'::regconfig, o.search_key)) @> ${textArray(set)}`),
        sql` or `)}
      limit ${STEM_CANDIDATES})`;
  }), sql``);

  // The planner underrates the trigram index for a rare stem and would
  // read the whole directory once per stem: here the indexes are right.
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);

    return query<SuggestionRow & { hits: number[] }>(tx, sql`
    with candidates as (
      ${themeCandidates("organisations", me, sql``)}${byNeed}),
    scored as (
      select o.id, o.slug, o.name, o.description, o.themes,
        o.territory_scope,
        array[${hits.length ? sql.join(hits, sql`, `) : sql`0`}]::int[]
          as hits
      from candidates c join organisations o on o.id = c.id
      where not exists (select 1 from initiative_carriers a
          where a.initiative_id = ${me.id} and a.organisation_id = o.id)
        and not exists (select 1 from pooling_decisions d
          where d.initiative_id = ${me.id} and d.person_id = ${viewerId}
            and d.decision = 'not_relevant'
            and d.target_organisation_id = o.id)),
    ranked as (
      select s.id, s.slug, s.name, left(s.description, 300) as summary,
        s.themes, s.hits, ${close} as closeness, '[]'::json as matches,
        ((${matchScore}) * 6 + ${shared}
          + case when ${shared} > 0 then ${close} else 0 end)::real as score
      from scored s order by score desc, s.name limit ${limit})
    select r.*, (select min(d.created_at) from pooling_decisions d
        where d.decision = 'talk' and d.initiative_id = ${me.id}
          and d.target_organisation_id = r.id) as "talkedAt"
    from ranked r where r.score > 0 order by r.score desc, r.name`);
  }).then((rows) => rows.map((row) => ({ ...row, matches: needs
    .filter((n, j) => row.hits[j] >= Math.min(2, n.stems.length))
    .map((n) => ({ mine: "need" as const, kind: n.kind, myText: n.text,
      theirText: "" })) })));
}
