/**
 * Words out of HTML pages and OpenDocument XML, for search. One pass from
 * left to right: every search for the end of a tag, a comment or a script
 * starts where the last one stopped, and an end never found drops the
 * rest. Patterns such as `<!--[\s\S]*?-->` look for that end again from
 * each unclosed opener, which a file of a few kilobytes of `<!--` turns
 * into minutes of work.
 */

import { ownValue } from "../../domain/records.ts";

export interface MarkupRules {
  /** Elements whose start or end breaks a line (lower case). */
  newline: ReadonlySet<string>;
  /** Elements inside a word's run, which join what they surround. */
  inline: ReadonlySet<string>;
  /** Elements whose content is not text (scripts, styles). */
  skip: ReadonlySet<string>;
}

export const HTML_RULES: MarkupRules = {
  newline: new Set(["p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "tr", "section", "article"]),
  inline: new Set(["a", "abbr", "b", "code", "em", "i", "mark", "small",
    "span", "strong", "sub", "sup", "u"]),
  skip: new Set(["script", "style"]),
};

export const ODT_RULES: MarkupRules = {
  newline: new Set(["text:p", "text:h", "text:line-break"]),
  inline: new Set(["text:span", "text:a", "text:bookmark",
    "text:soft-page-break"]),
  skip: new Set(),
};

/** A letter, `/`, `!` or `?` after `<` opens markup; anything else is text. */
const OPENS_MARKUP = /[A-Za-z/!?]/;
const TAG_NAME = /^<\/?([A-Za-z][\w:.-]*)/;

/** The text of a page or an XML document: markup out, entities read. */
export function markupToText(markup: string, rules: MarkupRules): string {
  const out: string[] = [];
  let at = 0;
  while (at < markup.length) {
    const open = markup.indexOf("<", at);
    if (open < 0) {
      out.push(markup.slice(at));
      break;
    }
    out.push(markup.slice(at, open));
    if (!OPENS_MARKUP.test(markup[open + 1] ?? "")) {
      out.push("<");
      at = open + 1;
      continue;
    }
    if (markup.startsWith("<!--", open)) {
      const end = markup.indexOf("-->", open + 4);
      if (end < 0) break;
      out.push(" ");
      at = end + 3;
      continue;
    }
    const close = markup.indexOf(">", open + 1);
    if (close < 0) break;
    const name = TAG_NAME.exec(markup.slice(open, Math.min(close, open + 80)))
      ?.[1].toLowerCase() ?? "";
    at = close + 1;
    const isEnd = markup[open + 1] === "/";
    if (!isEnd && rules.skip.has(name)) {
      // The content runs to the first end tag of the same name.
      const end = new RegExp(`</${name}\\s*>`, "gi");
      end.lastIndex = at;
      const found = end.exec(markup);
      if (!found) break;
      at = found.index + found[0].length;
      out.push(" ");
      continue;
    }
    // Other elements (cells, tabs, text:s) keep the words around apart.
    out.push(rules.newline.has(name) ? "\n"
      : rules.inline.has(name) ? "" : " ");
  }

  return readEntities(out.join(""));
}

const ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ",
};

function readEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi,
    (entity, name: string) => {
      if (name[0] === "#") {
        const code = name[1].toLowerCase() === "x"
          ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        // Nothing outside Unicode, and no half of a surrogate pair.
        const valid = code > 0 && code < 0x110000
          && (code < 0xd800 || code > 0xdfff);
        return valid ? String.fromCodePoint(code) : " ";
      }
      return ownValue(ENTITIES, name.toLowerCase()) ?? entity;
    });
}
