import { Feed } from "feed";
import type { Config } from "../../config.ts";
import type { InitiativeSummary } from "./initiative-lists.ts";

/** The feed of published initiatives, newest first. */
function buildFeed(config: Config, items: InitiativeSummary[]) {
  const updated = items.reduce<Date | undefined>((latest, i) =>
    !latest || (i.publishedAt && i.publishedAt > latest)
      ? i.publishedAt ?? latest : latest, undefined);
  const feed = new Feed({
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
  });
  const sorted = [...items].sort((a, b) =>
    (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0));
  for (const item of sorted) {
    const url = `${config.baseUrl}/initiatives/${item.slug}`;
    feed.addItem({
      title: item.title,
      id: url,
      link: url,
      description: item.summary,
      date: item.publishedAt ?? item.updatedAt,
      author: item.carriers.map((name) => ({ name })),
      category: item.themes.map((name) => ({ name })),
    });
  }

  return feed;
}

export const initiativesRss = (config: Config, items: InitiativeSummary[]) =>
  buildFeed(config, items).rss2();

export const initiativesAtom = (config: Config, items: InitiativeSummary[]) =>
  buildFeed(config, items).atom1();
