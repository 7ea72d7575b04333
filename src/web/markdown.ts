import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

// What a Markdown text may produce: text formatting, lists, quotes, code,
// tables and links. No scripts, styles, frames, images or event handlers.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del",
    "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead",
    "tbody", "tr", "th", "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    // Links written by users are not endorsed by the site.
    a: sanitizeHtml.simpleTransform("a",
      { rel: "noopener nofollow ugc" }, true),
    // A text's own titles sit below the page's h1.
    h1: "h2",
  },
};

/** Markdown written by users, as HTML safe to put in a page. */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true }) as string;

  return sanitizeHtml(html, OPTIONS);
}
