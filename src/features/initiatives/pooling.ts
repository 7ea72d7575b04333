import { sql, type SQL } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { findCarrierEmails, isCarrierOf } from "./carriers.ts";
import {
  canDecidePooling, canModerateInitiatives, canSeeSuggestions,
} from "./policy.ts";
import {
  initiatives, POOLING_KINDS, poolingDecisions, type PoolingDecision,
  type PoolingKind,
} from "./tables.ts";
import { POOLING_KIND_LABELS } from "./wording.ts";

export type SuggestionKind = "initiative" | "organisation";

export interface Suggestion {
  kind: SuggestionKind;
  id: string;
  slug: string;
  name: string;
  summary: string;
  score: number;
  /** Why it is suggested, in French, the strongest reason first. */
  reasons: string[];
  /** When a "let's talk" links the two sides, whoever started it. */
  talkedAt: Date | null;
}

interface Match {
  mine: "offer" | "need";
  kind: PoolingKind;
  theirText: string;
  myText: string;
}

interface Row {
  id: string;
  slug: string;
  name: string;
  summary: string;
  themes: string[];
  closeness: number;
  matches: Match[];
  score: number;
  talkedAt: string | null;
}

const CLOSENESS = ["", "même région", "même département", "même EPCI",
  "même commune"];

function reasonsOf(
  kind: SuggestionKind, row: Row, myThemes: string[],
): string[] {
  const reasons: string[] = [];
  const seen = new Set<string>();
  for (const m of row.matches) {
    const what = POOLING_KIND_LABELS[m.kind];
    const text = kind === "organisation"
      ? `ses compétences répondent à un besoin de cette initiative `
        + `(${what}) : « ${m.myText} »`
      : m.mine === "need"
        ? `propose ${what} dont cette initiative a besoin : « ${m.theirText} »`
        : `cherche ${what} que cette initiative propose : « ${m.theirText} »`;
    if (!seen.has(text)) reasons.push(text);
    seen.add(text);
  }
  const shared = row.themes.filter((t) => myThemes.includes(t));
  if (shared.length > 0 && row.closeness > 0) {
    reasons.push("travaille sur le même thème dans un territoire voisin "
      + `(${CLOSENESS[row.closeness]})`);
  }
  const n = shared.length;
  if (n > 0) {
    reasons.push(`partage ${n} thème${n > 1 ? "s" : ""} : `
      + shared.sort((a, b) => a.localeCompare(b, "fr")).join(", "));
  }

  return reasons;
}

/** What a suggestion query needs to know of the initiative itself. */
interface Me { id: string; themes: string[]; scope: string[] }

const textArray = (values: string[]) => values.length
  ? sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`
  : sql`'{}'::text[]`;

/**
 * How many of the initiative's themes a row shares, written out as one
 * containment test per theme: array operators only, no subquery per row.
 */
function sharedCount(column: SQL, themes: string[]) {
  if (themes.length === 0) return sql`0`;

  return sql`(${sql.join(themes.map((t) =>
    sql`(${column} @> array[${t}]::text[])::int`), sql` + `)})`;
}

/** 4 same commune, 3 same EPCI, 2 same département, 1 same région. */
function closeness(scope: SQL, mine: string[]) {
  const level = (prefix: string) =>
    textArray(mine.filter((id) => id.startsWith(prefix)));

  return sql`case when ${scope} && ${level("commune-")} then 4
    when ${scope} && ${level("epci-")} then 3
    when ${scope} && ${level("departement-")} then 2
    when ${scope} && ${level("region-")} then 1 else 0 end`;
}

/** Every pair of distinct values, each pair sorted. */
function pairs(values: string[]): [string, string][] {
  const sorted = [...new Set(values)].sort();

  return sorted.flatMap((a, i) => sorted.slice(i + 1)
    .map((b): [string, string] => [a, b]));
}

/**
 * Sharing a theme alone is worth suggesting in the same région, or with
 * two themes shared: this keeps the candidates few at scale. Each way of
 * qualifying is bounded on its own, the nearest levels first (same EPCI,
 * département, région), so that close neighbours are never crowded out
 * by distant ones; each is a containment the GIN indexes on themes and
 * territories answer.
 */
function themeCandidates(
  table: "initiatives" | "organisations", me: Me, order: SQL,
) {
  const x = sql.raw(table);
  const where = table === "initiatives"
    ? sql`x.status = 'published' and x.id <> ${me.id} and ` : sql``;
  const levels = ["epci-", "departement-", "region-"]
    .map((prefix) => me.scope.filter((id) => id.startsWith(prefix)))
    .filter((ids) => ids.length > 0 && me.themes.length > 0)
    .map((ids) => [sql`x.territory_scope && ${textArray(ids)}
      and x.themes && ${textArray(me.themes)}`, NEIGHBOUR_CANDIDATES] as const);
  const twoShared = pairs(me.themes)
    .map((pair) => sql`x.themes @> ${textArray(pair)}`);
  const ways = twoShared.length
    ? [...levels, [sql`(${sql.join(twoShared, sql` or `)})`,
      THEME_CANDIDATES] as const] : levels;
  if (ways.length === 0) return sql`select null::uuid as id where false`;

  return sql.join(ways.map(([test, bound]) => sql`(select x.id
    from ${x} x where ${where}${test} ${order} limit ${bound})`),
  sql` union `);
}

// An offer meets a need above this score (trigram similarity or the
// Jaccard index of their French stems, whichever is higher).
const MATCH_THRESHOLD = 0.35;
// Candidates sharing two themes, at most, and neighbours sharing one, at
// most per level: the query stays bounded when thousands share a theme.
const THEME_CANDIDATES = 80;
const NEIGHBOUR_CANDIDATES = 30;
// Organisations meeting one need, at most.
const STEM_CANDIDATES = 100;
// Nearest texts looked at per offer or need, by trigram distance.
const NEAREST = 20;

interface Item {
  direction: "offer" | "need";
  kind: PoolingKind;
  text: string;
  lexemes: string[];
}

/**
 * Finds again the offers meeting the needs of these initiatives, and the
 * needs their offers meet: for each item, the nearest texts of the same
 * kind on the other side by trigram distance (GiST index), scored by
 * trigram similarity and shared French stems, the best kept. Called in the
 * transaction of every change to the items; kind and direction are written
 * as literals so that each lookup uses its own partial GiST index.
 */
export async function refreshPoolingMatches(db: Db, initiativeIds: string[]) {
  if (initiativeIds.length === 0) return;
  const ids = sql`${`{${initiativeIds.join(",")}}`}::uuid[]`;
  await db.execute(sql`delete from pooling_matches m
    using initiative_pooling_items x
    where x.initiative_id = any(${ids})
      and x.id in (m.need_item_id, m.offer_item_id)`);
  const present = await query<{ kind: PoolingKind; direction: string }>(db,
    sql`select distinct kind, direction from initiative_pooling_items
      where initiative_id = any(${ids})`);
  for (const { kind, direction } of present) {
    if (!POOLING_KINDS.includes(kind)) continue;
    const other = direction === "offer" ? "need" : "offer";
    const [need, offer] = direction === "need"
      ? [sql`x.id`, sql`o.id`] : [sql`o.id`, sql`x.id`];
    await db.execute(sql`
      insert into pooling_matches (need_item_id, offer_item_id, score)
      select ${need}, ${offer}, o.score
      from initiative_pooling_items x
      cross join lateral (select o.id, greatest(
          similarity(o.search_key, x.search_key),
          o.common::real / greatest(cardinality(o.lexemes)
            + cardinality(x.lexemes) - o.common, 1)) as score
        from (select o.id, o.search_key, o.lexemes,
            (select count(*) from unnest(o.lexemes) l
              where l = any(x.lexemes)) as common
          from initiative_pooling_items o
          where ${sql.raw(`o.kind = '${kind}' and o.direction = '${other}'`)}
            and o.initiative_id <> x.initiative_id
          order by o.search_key <-> x.search_key limit ${NEAREST}) o) o
      where x.initiative_id = any(${ids})
        and ${sql.raw(`x.kind = '${kind}' and x.direction = '${direction}'`)}
        and o.score >= ${MATCH_THRESHOLD}
      on conflict do nothing`);
  }
}

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
async function suggestInitiatives(
  db: Db, me: Me, viewerId: string | null, limit: number,
) {
  const shared = sharedCount(sql`i.themes`, me.themes);
  const close = closeness(sql`i.territory_scope`, me.scope);

  return query<Row>(db, sql`
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

interface Need { text: string; kind: PoolingKind; stems: string[] }

/**
 * Organisations to pool with: shared themes, neighbouring territories,
 * and profiles (skills, themes) holding the French stems of a need: a
 * need is met when two of its stems appear (or its only one). Stems are
 * looked up as substrings of the folded profile, through the directory's
 * trigram index.
 */
async function suggestOrganisations(
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

    return query<Row & { hits: number[] }>(tx, sql`
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

function present(kind: SuggestionKind, row: Row, me: Me): Suggestion {
  return {
    kind, id: row.id, slug: row.slug, name: row.name, summary: row.summary,
    score: Number(row.score), reasons: reasonsOf(kind, row, me.themes),
    talkedAt: row.talkedAt ? new Date(row.talkedAt) : null,
  };
}

/**
 * Suggestions for one initiative, initiatives and organisations together,
 * best first. What the viewer marked "not relevant" is left out.
 */
export async function findPoolingSuggestions(
  ctx: Ctx, initiativeId: string, options: { limit?: number;
    publicOnly?: boolean } = {},
): Promise<Suggestion[]> {
  const limit = options.limit ?? 12;
  const [initiative] = await query<{ status: string; themes: string[];
    scope: string[] }>(ctx.db, sql`select status, themes,
    territory_scope as scope from initiatives where id = ${initiativeId}`);
  if (!initiative) throw notFound();
  const carrier = await isCarrierOf(ctx.db, ctx.actor, initiativeId);
  const visible = initiative.status === "published"
    || canDecidePooling(ctx.actor, carrier);
  if (!options.publicOnly && !canSeeSuggestions(ctx.actor)) {
    requirePerson(ctx.actor);
  }
  if (!visible) throw notFound();
  const viewer = ctx.actor.kind === "person" && !options.publicOnly
    ? ctx.actor.id : null;

  const me = { id: initiativeId, themes: initiative.themes,
    scope: initiative.scope };
  const mine = await query<Item>(ctx.db, sql`select direction, kind, text,
    lexemes from initiative_pooling_items
    where initiative_id = ${initiativeId} order by direction, position`);
  const needs = mine.filter((n) => n.direction === "need")
    .map((n) => ({ text: n.text, kind: n.kind,
      stems: n.lexemes.filter((l) => l.length >= 4) }))
    .filter((n) => n.stems.length > 0);
  // Side by side: on a server they run on two connections at once.
  const [others, orgs] = await Promise.all([
    suggestInitiatives(ctx.db, me, viewer, limit),
    suggestOrganisations(ctx.db, me, needs, viewer, limit),
  ]);

  return [...others.map((r) => present("initiative", r, me)),
    ...orgs.map((r) => present("organisation", r, me))]
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, "fr"))
    .slice(0, limit);
}

export interface PoolingDecisionInput {
  initiativeId: string;
  targetKind: SuggestionKind;
  targetId: string;
  decision: PoolingDecision;
}

/** Who to write to on the suggested side, and how it is named. */
async function otherSide(db: Db, kind: SuggestionKind, id: string) {
  if (kind === "initiative") {
    const [row] = await query<{ name: string; status: string }>(db, sql`
      select title as name, status from initiatives where id = ${id}`);
    if (!row || row.status !== "published") return null;

    return { name: row.name, emails: await findCarrierEmails(db, id) };
  }
  const [row] = await query<{ name: string; email: string | null }>(db, sql`
    select name, email from organisations where id = ${id}`);
  if (!row) return null;
  const members = await query<{ email: string }>(db, sql`
    select distinct lower(p.email) as email from people p
    join memberships m on m.person_id = p.id
    where m.organisation_id = ${id} and p.email is not null
      and p.account_status = 'active'`);
  const emails = [...new Set([...(row.email ? [row.email.toLowerCase()] : []),
    ...members.map((m) => m.email)])];

  return { name: row.name, emails };
}

/**
 * "Let's talk": the suggested side is told by e-mail with the contact of
 * the person who asked, and both sides then see each other's contact.
 * "Not relevant": the suggestion stops being shown to this person.
 */
export async function decidePooling(ctx: Ctx, input: PoolingDecisionInput) {
  const actor = requirePerson(ctx.actor);
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(sql`${initiatives.id} = ${input.initiativeId}`);
  if (!initiative) throw notFound();
  const carrier = await isCarrierOf(ctx.db, actor, initiative.id);
  if (!canDecidePooling(actor, carrier)) throw forbidden();

  if (!["talk", "not_relevant"].includes(input.decision)
    || !["initiative", "organisation"].includes(input.targetKind)) {
    throw invalid("Choix inconnu.");
  }
  const other = /^[0-9a-f-]{36}$/i.test(input.targetId)
    && input.targetId !== initiative.id
    ? await otherSide(ctx.db, input.targetKind, input.targetId) : null;
  if (!other) throw invalid("Cette suggestion n'existe plus.");
  const suggestion = (await findPoolingSuggestions(ctx, initiative.id,
    { limit: 50 })).find((s) => s.id === input.targetId);
  const target = input.targetKind === "initiative"
    ? { targetInitiativeId: input.targetId }
    : { targetOrganisationId: input.targetId };

  if (input.decision === "not_relevant") {
    await ctx.db.insert(poolingDecisions).values({
      initiativeId: initiative.id, personId: actor.id, ...target,
      decision: "not_relevant", reasons: suggestion?.reasons ?? [],
    }).onConflictDoNothing();
    return;
  }

  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(poolingDecisions).values({
        initiativeId: initiative.id, personId: actor.id, ...target,
        decision: "talk", reasons: suggestion?.reasons ?? [],
      });
      const why = (suggestion?.reasons ?? []).map((r) => `- ${r}`).join("\n");
      for (const to of other.emails) {
        await enqueueMail(tx, {
          to,
          subject: `Opportunité de mutualisation : ${initiative.title}`,
          text: `Bonjour,\n\n${actor.fullName} (${actor.email}), pour `
            + `l'initiative « ${initiative.title} », propose d'échanger avec `
            + `« ${other.name} » en vue d'une mutualisation.\n\n`
            + (why ? `Pourquoi Atelier vous a rapprochés :\n${why}\n\n` : "")
            + `Répondez directement à ${actor.email}, ou retrouvez ce contact `
            + `dans « Mes initiatives » : ${ctx.config.baseUrl}`
            + `/mes-initiatives\n\nL'initiative : ${ctx.config.baseUrl}`
            + `/initiatives/${initiative.slug}\n`,
        });
      }
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw conflict("Un échange est déjà engagé avec cette suggestion.");
    }
    throw error;
  }
}

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
