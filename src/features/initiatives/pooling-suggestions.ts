import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import { notFound } from "../../domain/errors.ts";
import { isCarrierOf } from "./carriers.ts";
import { canDecidePooling, canSeeSuggestions } from "./policy.ts";
import { suggestInitiatives } from "./suggest-initiatives.ts";
import { suggestOrganisations } from "./suggest-organisations.ts";
import type { Me, SuggestionRow } from "./suggestion-sql.ts";
import type { PoolingKind } from "./tables.ts";
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

const CLOSENESS = ["", "même région", "même département", "même EPCI",
  "même commune"];

function reasonsOf(
  kind: SuggestionKind, row: SuggestionRow, myThemes: string[],
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

interface Item {
  direction: "offer" | "need";
  kind: PoolingKind;
  text: string;
  lexemes: string[];
}

function present(
  kind: SuggestionKind, row: SuggestionRow, me: Me,
): Suggestion {
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
