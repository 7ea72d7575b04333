import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import {
  findCarrierEmails, isCarrierOf, POOLING_KIND_LABELS,
} from "./initiatives.ts";
import {
  canDecidePooling, canModerateInitiatives, canSeeSuggestions,
} from "./policy.ts";
import {
  initiatives, poolingDecisions, type PoolingDecision, type PoolingKind,
} from "./tables.ts";

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
  sharedThemes: string[];
  closeness: number;
  matches: Match[];
  score: number;
  talkedAt: string | null;
}

const CLOSENESS = ["", "même région", "même département", "même EPCI",
  "même commune"];

function reasonsOf(kind: SuggestionKind, row: Row): string[] {
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
  if (row.sharedThemes.length > 0 && row.closeness > 0) {
    reasons.push("travaille sur le même thème dans un territoire voisin "
      + `(${CLOSENESS[row.closeness]})`);
  }
  const n = row.sharedThemes.length;
  if (n > 0) {
    // Sorted here: the database's collation may not be French.
    reasons.push(`partage ${n} thème${n > 1 ? "s" : ""} : `
      + [...row.sharedThemes].sort((a, b) => a.localeCompare(b, "fr"))
        .join(", "));
  }

  return reasons;
}

// The initiative's own themes and territories, its territories split by
// level so that closeness is the smallest level shared with a candidate.
const me = (id: string) => sql`me as (
  select i.id, i.themes,
    array(select s from unnest(i.territory_scope) s
      where s like 'commune-%') as communes,
    array(select s from unnest(i.territory_scope) s
      where s like 'epci-%') as epcis,
    array(select s from unnest(i.territory_scope) s
      where s like 'departement-%') as deps,
    array(select s from unnest(i.territory_scope) s
      where s like 'region-%') as regions
  from initiatives i where i.id = ${id})`;

const sharedThemes = (column: SQL_) => sql`array(select unnest(${column})
  intersect select unnest(me.themes) order by 1)`;

const closeness = (scope: SQL_) => sql`case
  when ${scope} && me.communes then 4 when ${scope} && me.epcis then 3
  when ${scope} && me.deps then 2 when ${scope} && me.regions then 1
  else 0 end`;

type SQL_ = ReturnType<typeof sql>;

/**
 * Other published initiatives to pool with, ranked. An offer meets a need
 * when their kinds match and their texts are close: shared French stems
 * (Jaccard) or trigram similarity, both found through GIN indexes.
 */
async function suggestInitiatives(
  db: Db, id: string, viewerId: string | null, limit: number,
) {
  return query<Row>(db, sql`
    with ${me(id)},
    mine as (select direction, kind, text, search_key, lexemes
      from initiative_pooling_items where initiative_id = ${id}),
    matches as (
      select o.initiative_id as target, m.direction as mine, m.kind,
        m.text as my_text, o.text as their_text, s.score
      from mine m
      join initiative_pooling_items o on o.kind = m.kind
        and o.direction <> m.direction and o.initiative_id <> ${id}
        and (o.lexemes && m.lexemes or o.search_key % m.search_key)
      cross join lateral (select greatest(
        similarity(o.search_key, m.search_key),
        (select count(*) from (select unnest(o.lexemes)
          intersect select unnest(m.lexemes)) x)::real
        / greatest((select count(*) from (select unnest(o.lexemes)
          union select unnest(m.lexemes)) y), 1)) as score) s
      where s.score >= 0.3),
    candidates as (
      select i.id from initiatives i, me
      where i.status = 'published' and i.id <> me.id
        and i.themes && me.themes
      union select target from matches),
    scored as (
      select i.id, i.slug, i.title as name, i.summary,
        ${sharedThemes(sql`i.themes`)} as "sharedThemes",
        ${closeness(sql`i.territory_scope`)} as closeness,
        coalesce((select json_agg(json_build_object('mine', m.mine,
          'kind', m.kind, 'myText', m.my_text, 'theirText', m.their_text)
          order by m.score desc) from matches m where m.target = i.id),
          '[]') as matches,
        coalesce((select sum(m.score) from matches m
          where m.target = i.id), 0) as match_score
      from candidates c join initiatives i on i.id = c.id cross join me
      where i.status = 'published'
        -- Initiatives of the same carriers already know each other.
        and not exists (select 1 from initiative_carriers a
          join initiative_carriers b on b.organisation_id = a.organisation_id
          where a.initiative_id = ${id} and b.initiative_id = i.id)
        and not exists (select 1 from pooling_decisions d
          where d.initiative_id = ${id} and d.person_id = ${viewerId}
            and d.decision = 'not_relevant'
            and d.target_initiative_id = i.id))
    select s.id, s.slug, s.name, s.summary, s."sharedThemes", s.closeness,
      s.matches,
      (s.match_score * 8 + cardinality(s."sharedThemes")
        + case when cardinality(s."sharedThemes") > 0 then s.closeness
          else 0 end)::real as score,
      (select min(d.created_at) from pooling_decisions d
        where d.decision = 'talk' and (
          (d.initiative_id = ${id} and d.target_initiative_id = s.id)
          or (d.initiative_id = s.id and d.target_initiative_id = ${id})))
        as "talkedAt"
    from scored s
    order by score desc, s.name limit ${limit}`);
}

/**
 * Organisations to pool with: shared themes, neighbouring territories,
 * and profiles whose words (skills, themes) carry a need's French stems,
 * looked up through the directory's trigram index.
 */
async function suggestOrganisations(
  db: Db, id: string, viewerId: string | null, limit: number,
) {
  return query<Row>(db, sql`
    with ${me(id)},
    need_words as (
      select m.text, m.kind, w.lexeme
      from initiative_pooling_items m, unnest(m.lexemes) w(lexeme)
      where m.initiative_id = ${id} and m.direction = 'need'
        and length(w.lexeme) >= 4),
    need_sizes as (select text, count(distinct lexeme) as n
      from need_words group by text),
    hits as (
      select o.id as org, w.text, w.kind, count(distinct w.lexeme) as hits
      from need_words w join organisations o on w.lexeme <% o.search_key
      group by o.id, w.text, w.kind),
    matches as (
      select h.org, 'need' as mine, h.kind, h.text as my_text,
        '' as their_text, h.hits::real / s.n as score
      from hits h join need_sizes s on s.text = h.text
      where h.hits >= least(2, s.n)),
    candidates as (
      select o.id from organisations o, me where o.themes && me.themes
      union select org from matches),
    scored as (
      select o.id, o.slug, o.name, left(o.description, 300) as summary,
        ${sharedThemes(sql`o.themes`)} as "sharedThemes",
        ${closeness(sql`o.territory_scope`)} as closeness,
        coalesce((select json_agg(json_build_object('mine', m.mine,
          'kind', m.kind, 'myText', m.my_text, 'theirText', m.their_text)
          order by m.score desc) from matches m where m.org = o.id),
          '[]') as matches,
        coalesce((select sum(m.score) from matches m where m.org = o.id), 0)
          as match_score
      from candidates c join organisations o on o.id = c.id cross join me
      where not exists (select 1 from initiative_carriers a
          where a.initiative_id = ${id} and a.organisation_id = o.id)
        and not exists (select 1 from pooling_decisions d
          where d.initiative_id = ${id} and d.person_id = ${viewerId}
            and d.decision = 'not_relevant'
            and d.target_organisation_id = o.id))
    select s.id, s.slug, s.name, s.summary, s."sharedThemes", s.closeness,
      s.matches,
      (s.match_score * 6 + cardinality(s."sharedThemes")
        + case when cardinality(s."sharedThemes") > 0 then s.closeness
          else 0 end)::real as score,
      (select min(d.created_at) from pooling_decisions d
        where d.decision = 'talk' and d.initiative_id = ${id}
          and d.target_organisation_id = s.id) as "talkedAt"
    from scored s
    order by score desc, s.name limit ${limit}`);
}

function present(kind: SuggestionKind, row: Row): Suggestion {
  return {
    kind, id: row.id, slug: row.slug, name: row.name, summary: row.summary,
    score: Number(row.score), reasons: reasonsOf(kind, row),
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
  const [initiative] = await query<{ status: string }>(ctx.db, sql`select
    status from initiatives where id = ${initiativeId}`);
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

  const others = await suggestInitiatives(ctx.db, initiativeId, viewer, limit);
  const orgs = await suggestOrganisations(ctx.db, initiativeId, viewer, limit);

  return [...others.map((r) => present("initiative", r)),
    ...orgs.map((r) => present("organisation", r))]
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
