import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

// What long texts written by users may contain once rendered: structure,
// emphasis, links and quotes; never scripts, styles, frames or images from
// elsewhere (the CSP would block them anyway).
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del",
    "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead",
    "tbody", "tr", "th", "td",
  ],
  allowedAttributes: { a: ["href", "title"] },
  allowedSchemes: ["http", "https", "mailto"],
  // A heading of level one belongs to the page, not to a user's text.
  transformTags: {
    h1: "h2",
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener" }),
  },
};
OPTIONS.allowedAttributes = { a: ["href", "title", "rel"] };

/** Markdown written by a user, as HTML that is safe to insert in a page. */
export function renderMarkdown(text: string | null | undefined): string {
  if (!text) return "";
  const html = marked.parse(text, { async: false, gfm: true }) as string;

  return sanitizeHtml(html, OPTIONS);
}
