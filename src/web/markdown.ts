import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

// What long texts may contain once rendered: structure and links, nothing
// that runs, loads or restyles (no scripts, images, styles or frames).
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], th: ["scope"],
    ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  transformTags: {
    // Headings start at h2: the page title is the only h1.
    h1: "h2",
    // Links written by users are not endorsed by the site.
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener nofollow ugc" }),
  },
};

/** Markdown written by users, as safe HTML for a page. */
export function renderMarkdown(text: string | null | undefined): string {
  if (!text) return "";
  const html = marked.parse(text, { async: false, gfm: true });

  return sanitizeHtml(html, ALLOWED);
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'",
  "&#x27;": "'", "&nbsp;": " ",
};

/** Markdown as plain text, for e-mails and calendar files. */
export function markdownToText(text: string): string {
  const html = marked.parse(text ?? "", { async: false, gfm: true })
    .replace(/<\/(p|li|h\d|blockquote|pre|tr)>/g, "$&\n")
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/<li>/g, "<li>- ");
  const stripped = sanitizeHtml(html, { allowedTags: [],
    allowedAttributes: {} });

  return stripped.replace(/&(amp|lt|gt|quot|nbsp|#39|#x27);/g,
    (entity) => ENTITIES[entity] ?? entity)
    .replace(/\n{3,}/g, "\n\n").trim();
}
