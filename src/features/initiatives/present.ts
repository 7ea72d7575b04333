import { Type } from "@sinclair/typebox";
import type { Config } from "../../config.ts";
import type { InitiativeDetail } from "./initiative-detail.ts";
import type { InitiativeSummary } from "./initiative-lists.ts";
import type { Suggestion } from "./pooling-suggestions.ts";

// What the public JSON API shows of an initiative: public fields only,
// never its moderation history, its author or a contact's e-mail.

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) =>
  Type.Union([t, Type.Null()]);

const SummaryFields = {
  id: Type.String({ format: "uuid" }),
  slug: Type.String(),
  url: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  themes: Type.Array(Type.String()),
  stage: Type.String({ description: "idea, starting, running, finished" }),
  carriers: Type.Array(Type.String()),
  imageUrl: Nullable(Type.String()),
  publishedAt: Nullable(Type.String({ format: "date-time" })),
  updatedAt: Type.String({ format: "date-time" }),
  labels: Type.Array(Type.String()),
};

export const InitiativeSummarySchema = Type.Object(SummaryFields);

export const InitiativeListSchema = Type.Object({
  total: Type.Integer(),
  items: Type.Array(InitiativeSummarySchema),
});

const PoolingItemSchema = Type.Object({
  kind: Type.String(), text: Type.String(),
});

export const InitiativeDetailSchema = Type.Object({
  ...SummaryFields,
  description: Type.String({ description: "Markdown" }),
  carriers: Type.Array(Type.String()),
  organisations: Type.Array(Type.Object({
    id: Type.String({ format: "uuid" }), name: Type.String(),
    slug: Type.String(),
  })),
  territories: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), kind: Type.String(),
  })),
  startsOn: Nullable(Type.String({ format: "date" })),
  endsOn: Nullable(Type.String({ format: "date" })),
  links: Type.Array(Type.Object({ label: Type.String(), url: Type.String() })),
  offers: Type.Array(PoolingItemSchema),
  needs: Type.Array(PoolingItemSchema),
});

export const SuggestionListSchema = Type.Object({
  items: Type.Array(Type.Object({
    kind: Type.String({ description: "initiative or organisation" }),
    id: Type.String({ format: "uuid" }),
    name: Type.String(),
    url: Type.String(),
    score: Type.Number(),
    reasons: Type.Array(Type.String()),
  })),
});

const imageUrl = (config: Config, file: string | null) =>
  file ? `${config.baseUrl}/fichiers/initiatives/${file}` : null;

export function presentSummary(
  config: Config, item: InitiativeSummary, labels: string[],
) {
  return {
    id: item.id, slug: item.slug,
    url: `${config.baseUrl}/initiatives/${item.slug}`,
    title: item.title, summary: item.summary, themes: item.themes,
    stage: item.stage, carriers: item.carriers,
    imageUrl: imageUrl(config, item.imageFile),
    publishedAt: item.publishedAt?.toISOString() ?? null,
    updatedAt: item.updatedAt.toISOString(),
    labels,
  };
}

export function presentInitiative(
  config: Config, detail: InitiativeDetail, labels: string[],
) {
  const i = detail.initiative;

  return {
    ...presentSummary(config, { ...i, carriers: detail.carriers
      .map((c) => c.name) }, labels),
    description: i.description,
    organisations: detail.carriers.map((c) => ({ id: c.id, name: c.name,
      slug: c.slug })),
    territories: detail.territories.map((t) => ({ id: t.id, name: t.name,
      kind: t.kind })),
    startsOn: i.startsOn, endsOn: i.endsOn,
    links: i.links,
    offers: detail.offers.map((o) => ({ kind: o.kind, text: o.text })),
    needs: detail.needs.map((n) => ({ kind: n.kind, text: n.text })),
  };
}

export function presentSuggestion(config: Config, s: Suggestion) {
  return {
    kind: s.kind, id: s.id, name: s.name, score: s.score, reasons: s.reasons,
    url: s.kind === "initiative" ? `${config.baseUrl}/initiatives/${s.slug}`
      : `${config.baseUrl}/annuaire/${s.slug}`,
  };
}
