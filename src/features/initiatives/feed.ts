import type { Config } from "../../config.ts";
import { createFeed } from "../../web/feed.ts";
import type { InitiativeSummary } from "./initiative-lists.ts";

/** The feed of published initiatives, newest first. */
function buildFeed(config: Config, items: InitiativeSummary[]) {
  const updated = items.reduce<Date | undefined>((latest, i) =>
    !latest || (i.publishedAt && i.publishedAt > latest)
      ? i.publishedAt ?? latest : latest, undefined);
  const sorted = [...items].sort((a, b) =>
    (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0));

  return createFeed({
    title: `${config.siteName} — initiatives des allié·es`,
    description: "Les initiatives publiées par les allié·es de l'Alliance.",
    id: `${config.baseUrl}/initiatives`,
    link: `${config.baseUrl}/initiatives`,
    language: "fr",
    copyright: "",
    updated: updated ?? new Date(0),
    feedLinks: {
      rss: `${config.baseUrl}/initiatives/flux.xml`,
      atom: `${config.baseUrl}/initiatives/flux.atom`,
    },
  }, sorted.map((item) => ({
    title: item.title,
    url: `${config.baseUrl}/initiatives/${item.slug}`,
    summary: item.summary,
    date: item.publishedAt ?? item.updatedAt,
    authors: item.carriers,
    categories: item.themes,
  })));
}

export const initiativesRss = (config: Config, items: InitiativeSummary[]) =>
  buildFeed(config, items).rss2();

export const initiativesAtom = (config: Config, items: InitiativeSummary[]) =>
  buildFeed(config, items).atom1();
