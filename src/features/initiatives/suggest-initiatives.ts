import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { MATCH_THRESHOLD } from "./pooling-matches.ts";
import {
  closeness, sharedCount, themeCandidates, type Me, type SuggestionRow,
} from "./suggestion-sql.ts";

/**
 * For each offer and need of the initiative, the texts meeting it on the
 * other side, as found when either was written.
 */
function nearestTexts(me: Me) {
  const side = (mine: "need" | "offer") => {
    const [my, their] = mine === "need"
      ? [sql`m.need_item_id`, sql`m.offer_item_id`]
      : [sql`m.offer_item_id`, sql`m.need_item_id`];

    return sql`select ${mine}::text as mine, x.kind, x.text as my_text,
        o.initiative_id as target, o.text as their_text, m.score
      from initiative_pooling_items x
      join pooling_matches m on ${my} = x.id
      join initiative_pooling_items o on o.id = ${their}
      where x.initiative_id = ${me.id}
        and ${sql.raw(`x.direction = '${mine}'`)}`;
  };

  return sql`${side("need")} union all ${side("offer")}`;
}

/**
 * Other published initiatives to pool with, ranked. An offer meets a need
 * when their kinds match and their texts are close, as found when either
 * was written (`refreshPoolingMatches`). Then initiatives sharing themes,
 * nearer ones first.
 */
export async function suggestInitiatives(
  db: Db, me: Me, viewerId: string | null, limit: number,
) {
  const shared = sharedCount(sql`i.themes`, me.themes);
  const close = closeness(sql`i.territory_scope`, me.scope);

  return query<SuggestionRow>(db, sql`
    with near as (${nearestTexts(me)}),
    matched as (
      select target, sum(score) as match_score,
        json_agg(json_build_object('mine', mine, 'kind', kind,
          'myText', my_text, 'theirText', their_text) order by score desc)
          as matches
      from near where score >= ${MATCH_THRESHOLD} group by target),
    candidates as (
      ${themeCandidates("initiatives", me,
        sql`order by x.published_at desc`)}
      union select target from matched),
    ranked as (
      select i.id, i.slug, i.title as name, i.summary, i.themes,
        ${close} as closeness, coalesce(x.matches, '[]') as matches,
        (coalesce(x.match_score, 0) * 8 + ${shared}
          + case when ${shared} > 0 then ${close} else 0 end)::real as score
      from candidates c join initiatives i on i.id = c.id
      left join matched x on x.target = i.id
      where i.status = 'published'
        -- Initiatives of the same carriers already know each other.
        and not exists (select 1 from initiative_carriers a
          join initiative_carriers b on b.organisation_id = a.organisation_id
          where a.initiative_id = ${me.id} and b.initiative_id = i.id)
        and not exists (select 1 from pooling_decisions d
          where d.initiative_id = ${me.id} and d.person_id = ${viewerId}
            and d.decision = 'not_relevant'
            and d.target_initiative_id = i.id)
      order by score desc, i.title limit ${limit})
    select r.*, (select min(d.created_at) from pooling_decisions d
        where d.decision = 'talk' and (
          (d.initiative_id = ${me.id} and d.target_initiative_id = r.id)
          or (d.initiative_id = r.id and d.target_initiative_id = ${me.id})))
        as "talkedAt"
    from ranked r order by r.score desc, r.name`);
}
