/**
 * The document base at size: generated French documents of realistic
 * length, searched through the real server at 20 connections, and the
 * same search replayed straight in SQL so the application's share shows.
 */
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import pino from "pino";
import { loadConfig } from "../src/config.ts";
import type { Db } from "../src/db/client.ts";
import * as schema from "../src/db/schema.ts";
import { VISITOR } from "../src/domain/context.ts";
import { searchLibrary } from "../src/features/documents/search.ts";

export const LIBRARY_SIZE = Number(process.env.BENCH_DOCUMENTS ?? 50_000);

// Words of the alliance, inflected as texts use them; drawn with a skew so
// the first ones are common and the last ones rarer.
const COMMON = [
  "la", "transition", "des", "territoires", "le", "territoire", "et",
  "coopération", "les", "habitants", "de", "énergie", "avec", "élus",
  "acteurs", "locaux", "une", "démarche", "collective", "pour", "projet",
  "commune", "intercommunalité", "mobilité", "mobilités", "sobriété",
  "alimentation", "agriculture", "biodiversité", "eau", "paysage", "climat",
  "adaptation", "résilience", "économie", "circulaire", "solidaire",
  "emploi", "formation", "accompagnement", "méthode", "outils", "ateliers",
  "participation", "citoyenne", "citoyens", "gouvernance", "partagée",
  "coopérer", "coopèrent", "accompagner", "accompagnés", "expérimenter",
  "expérimentation", "évaluation", "indicateurs", "stratégie", "politique",
  "publique", "services", "logement", "rénovation", "énergétique",
  "chaleur", "renouvelable", "solaire", "bois", "réseau", "réseaux",
  "associations", "entreprises", "agents", "techniciens", "décision",
  "délibération", "budget", "financement", "investissement", "communs",
  "récit", "récits", "culture", "santé", "école", "jeunes", "quartier",
  "village", "bourg", "rural", "ruraux", "urbain", "métropole", "région",
  "département", "pionniers", "trajectoire", "changement", "difficultés",
  "leçons", "principes", "transférables", "enseignements", "retours",
];

// Subjects each document is about: few documents share one.
const TOPICS = [
  "méthanisation", "covoiturage", "agrivoltaïsme", "cantines", "ressourcerie",
  "tiers-lieu", "autopartage", "compostage", "maraîchage", "haies",
  "zéro-déchet", "microcentrale", "géothermie", "vélo-école", "épicerie",
  "chaufferie", "bocage", "friches", "désimperméabilisation", "recyclerie",
  "monnaie", "coopérative", "régie", "permaculture", "apiculture",
  "réemploi", "halles", "navette", "low-tech", "repair-café", "ombrières",
  "éolien", "hydrogène", "bioclimatique", "écoquartier", "pédibus",
  "jardins", "vergers", "forêt", "zones humides",
];

/**
 * Inserts `count` published documents of 300 to 1,500 words in batches,
 * each about one or two topics, and updates the planner's statistics.
 */
export async function generateLibrary(db: Db, count = LIBRARY_SIZE) {
  const common = sql`array[${sql.join(COMMON.map((w) => sql`${w}`),
    sql`, `)}]::text[]`;
  const topics = sql`array[${sql.join(TOPICS.map((w) => sql`${w}`),
    sql`, `)}]::text[]`;
  const batch = 2000;
  for (let from = 1; from <= count; from += batch) {
    const to = Math.min(count, from + batch - 1);
    await db.execute(sql`
      insert into documents (slug, title, kind, year, language, summary,
        body, themes, territory_scope, status, published_at, text_status)
      select 'bench-doc-' || g,
        initcap(tp[t1]) || ' : ' || c[1 + (g % 40)] || ' et '
          || c[1 + (g * 7 % 60)] || ' ' || g,
        (array['charter', 'statutes', 'strategy', 'framework', 'study',
          'key_text', 'finding', 'proposals', 'review',
          'teaching_tool'])[1 + g % 10],
        2015 + g % 10, case when g % 20 = 0 then 'en' else 'fr' end,
        'Retour sur une démarche de ' || tp[t1] || ' menée avec les '
          || c[1 + (g * 3 % 50)] || ' du ' || c[1 + (g * 5 % 90)] || '.',
        (select string_agg(case
            -- w keeps the aggregate inside the subquery, one per document.
            when w < 0 then ''
            when random() < 0.02 then tp[t1]
            when random() < 0.005 then tp[t2]
            else c[1 + floor(power(random(), 2.5) * array_length(c, 1))::int]
          end || case when random() < 0.07 then '.' else '' end, ' ')
          from generate_series(1, 300 + (g * 7919) % 1200) w),
        array[(array['énergie', 'mobilité', 'alimentation', 'habitat',
          'coopération', 'eau'])[1 + g % 6]],
        array['region-' || (array['11', '24', '27', '28', '32', '44', '52',
          '53', '75', '76', '84', '93'])[1 + g % 12]],
        'published', now() - (g || ' minutes')::interval, 'extracted'
      from generate_series(${from}::int, ${to}::int) g,
        lateral (select ${common} as c, ${topics} as tp,
          1 + (g * 31) % ${TOPICS.length} as t1,
          1 + (g * 17) % ${TOPICS.length} as t2) v`);
  }
  await db.execute(sql`analyze documents`);
}

/** Opens a Drizzle handle that remembers the SQL it sends. */
export function recordingDatabase(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const queries: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(pool, { schema, logger: { logQuery(text, params) {
    queries.push({ sql: text, params });
  } } }) as unknown as Db;

  return { db, queries, close: () => pool.end() };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * Runs the search once through the application's function to capture its
 * SQL, then replays those statements `runs` times on one connection.
 */
export async function measureSql(
  url: string, q: string,
  runs = Number(process.env.BENCH_SQL_RUNS ?? 500),
) {
  const recording = recordingDatabase(url);
  const ctx = { actor: VISITOR, db: recording.db,
    log: pino({ level: "silent" }), config: loadConfig({}),
    now: () => new Date() };
  const result = await searchLibrary(ctx, { q });
  await recording.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const times: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const start = performance.now();
    for (const statement of recording.queries) {
      await client.query(statement.sql, statement.params as any[]);
    }
    if (i >= 20) times.push(performance.now() - start);
  }
  await client.end();
  times.sort((a, b) => a - b);

  return { total: result.total, statements: recording.queries.length,
    p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}
