import { sql } from "drizzle-orm";
import type { Db } from "../src/db/client.ts";

export interface Sizes {
  organisations: number;
  people: number;
  events: number;
  registrations: number;
}

export const DEFAULT_SIZES: Sizes = {
  organisations: 5000, people: 10000, events: 2000, registrations: 20000,
};

/**
 * Fills a migrated database (territories loaded) with realistic-looking
 * data at the given size, in a few set-based statements.
 */
export async function generateBenchData(db: Db, sizes = DEFAULT_SIZES) {
  await db.execute(sql`
    create temporary table bench_words as select * from unnest(array[
      'Transition', 'Énergie', 'Territoires', 'Coopérative', 'Réseau',
      'Atelier', 'Maison', 'Agence', 'Collectif', 'Alliance', 'Fabrique',
      'Solidarités', 'Mobilités', 'Habitat', 'Paysages', 'Climat', 'Eau',
      'Alimentation', 'Communs', 'Récits', 'Sobriété', 'Économie']) as w`);
  await db.execute(sql`
    create temporary table bench_communes as
    select id, name, code, ancestors, row_number() over (order by id) as n
    from territories where kind = 'commune' and population > 3000`);
  const themes = sql`array['transition énergétique', 'mobilité',
    'alimentation', 'économie circulaire', 'participation des habitants',
    'biodiversité', 'habitat', 'coopération', 'eau', 'santé']`;

  await db.execute(sql`
    insert into organisations (slug, name, kind, description, themes, skills,
      city, commune_id, territory_scope, charter_signatory, email,
      email_visibility)
    select 'bench-org-' || g,
      (select w from bench_words offset (g * 7) % 22 limit 1) || ' '
        || (select w from bench_words offset (g * 13) % 22 limit 1) || ' '
        || c.name || ' ' || g,
      (array['local_authority', 'association', 'company', 'research',
        'consultancy', 'public_body', 'collective'])[1 + g % 7],
      'Structure engagée dans la transition écologique et sociale de son '
        || 'territoire : accompagnement, formation, coopération entre acteurs.',
      array[(${themes})[1 + g % 10], (${themes})[1 + (g * 3) % 10]],
      array['animation', 'ingénierie de projet'],
      c.name, c.id, c.ancestors, g % 3 <> 0,
      'contact' || g || '@example.org', 'allies'
    from generate_series(1, ${sizes.organisations}) g
    join bench_communes c
      on c.n = 1 + g % (select count(*) from bench_communes)`);

  await db.execute(sql`
    insert into people (full_name, email, role, account_status,
      calendar_token)
    select 'Personne ' || g, 'personne' || g || '@example.org', 'ally',
      'active', md5('bench-token-' || g)
    from generate_series(1, ${sizes.people}) g`);

  await db.execute(sql`
    insert into memberships (person_id, organisation_id, role)
    select p.id, o.id, 'membre'
    from (select id, row_number() over (order by email) n from people) p
    join (select id, row_number() over (order by slug) n from organisations) o
      on o.n = 1 + p.n % ${sizes.organisations}`);

  // Half the events are past, half to come, spread over two years.
  await db.execute(sql`
    insert into events (slug, kind, title, description, starts_at, ends_at,
      location, capacity, visibility, ical_uid)
    select 'bench-event-' || g,
      (array['meetup', 'office_hours', 'training', 'fundamentals',
        'labelling', 'assembly', 'other'])[1 + g % 7],
      'Rencontre ' || g || ' : coopérer pour la transition',
      'Un temps d''échange entre allié·es sur les **coopérations** locales.',
      date_trunc('hour', now()) + ((g - ${sizes.events / 2}) * interval '9 hours'),
      date_trunc('hour', now()) + ((g - ${sizes.events / 2}) * interval '9 hours')
        + interval '90 minutes',
      'En ligne', 100, case when g % 10 = 0 then 'allies' else 'public' end,
      'bench-' || g || '@atelier.test'
    from generate_series(1, ${sizes.events}) g`);
  await db.execute(sql`
    insert into occurrences (event_id, starts_at, ends_at, capacity)
    select id, starts_at, ends_at, capacity from events`);

  // Each person registers for distinct occurrences: the two formulas below
  // never give the same occurrence for one person.
  const perPerson = Math.ceil(sizes.registrations / sizes.people);
  await db.execute(sql`
    insert into registrations (occurrence_id, person_id, status)
    select o.id, p.id, 'confirmed'
    from (select id, row_number() over (order by email) - 1 n from people) p
    cross join generate_series(0, ${perPerson - 1}) k
    join (select id, row_number() over (order by starts_at) - 1 n
      from occurrences) o
      on o.n = case when k = 0 then (p.n * 7) % ${sizes.events}
        else (p.n * 13 + 1) % ${sizes.events} end
    limit ${sizes.registrations}`);
  await db.execute(sql`
    update occurrences o set confirmed_count = r.n,
      capacity = greatest(o.capacity, r.n)
    from (select occurrence_id, count(*)::int n from registrations
      group by occurrence_id) r
    where r.occurrence_id = o.id`);
  await db.execute(sql`analyze`);
}
