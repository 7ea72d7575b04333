import { Feed, type FeedOptions } from "feed";

/**
 * The site's RSS and Atom feeds. Their texts are plain text written by
 * people (titles, summaries, names), and a feed must stay readable
 * whatever they hold:
 * - XML 1.0 forbids most control characters, U+FFFE, U+FFFF and lone
 *   surrogates: one of them makes the whole feed unreadable, so they are
 *   left out;
 * - the feed library puts titles and summaries in CDATA that readers take
 *   as HTML (Atom says type="html"): plain text is escaped first, so that
 *   "<img onerror=…>" is shown as written, never run.
 */

/** Every character XML 1.0 does not allow in a document. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The text without the characters XML 1.0 forbids. */
export const xmlText = (text: string) => text.replace(NOT_XML, "");

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
};

/** Plain text as the HTML a feed's titles and summaries carry. */
export const feedHtml = (text: string) =>
  xmlText(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/**
 * A name written in an attribute by the feed library (Atom categories),
 * which escapes "&" and '"' there but not "<": that one is left out.
 */
const attributeText = (text: string) => xmlText(text).replace(/</g, "");

export interface FeedEntry {
  /** Plain text. */
  title: string;
  /** Plain text. */
  summary?: string;
  url: string;
  /** Unique address of the entry; its url by default. */
  id?: string;
  date: Date;
  authors?: string[];
  categories?: string[];
}

/**
 * A feed with its entries, every text cleaned the one way above. The
 * caller chooses the format: `.rss2()` or `.atom1()`.
 */
export function createFeed(options: FeedOptions, entries: FeedEntry[]): Feed {
  const feed = new Feed({ ...options, title: xmlText(options.title),
    description: options.description && xmlText(options.description) });
  for (const entry of entries) {
    feed.addItem({
      title: feedHtml(entry.title),
      id: entry.id ?? entry.url,
      link: entry.url,
      description: entry.summary ? feedHtml(entry.summary) : undefined,
      date: entry.date,
      author: entry.authors?.map((name) => ({ name: xmlText(name) })),
      category: entry.categories?.map((name) =>
        ({ name: attributeText(name) })),
    });
  }

  return feed;
}
