import { describe, expect, it } from "vitest";
import { HTML_RULES, markupToText, ODT_RULES } from "./markup.ts";

const words = (text: string) => text.replace(/\s+/g, " ").trim();

describe("reading the words of markup", () => {
  it("keeps the words of a page, lines where blocks break", () => {
    const text = markupToText("<html><head><title>Titre</title>"
      + "<style>p { color: red }</style></head><body><h1>La coop&eacute;"
      + "ration</h1><p>Les <b>habitant</b>s &amp; les &#233;lus"
      + "<!-- note --> <br/>ensemble</p><script>alert('x')</script>"
      + "<table><tr><td>un</td><td>deux</td></tr></table></body></html>",
    HTML_RULES);
    expect(text).toContain("\nLes habitants & les élus");
    expect(words(text)).toContain("ensemble un deux");
    expect(text).not.toMatch(/alert|color|note|<|>/);
    // Names that are not known entities stay as written.
    expect(text).toContain("coop&eacute;ration");
  });

  it("takes a lone < as text, and drops what an unclosed tag hides", () => {
    expect(words(markupToText("<p>3 < 4 et 5 <6</p>", HTML_RULES)))
      .toBe("3 < 4 et 5 <6");
    expect(words(markupToText("avant <!-- jamais fermé <p>après",
      HTML_RULES))).toBe("avant");
    expect(words(markupToText("avant <script>var a = 1; <p>après",
      HTML_RULES))).toBe("avant");
    expect(words(markupToText("avant <p class='x' après", HTML_RULES)))
      .toBe("avant");
  });

  it("reads hostile files of unclosed openers in one pass", () => {
    // Each of these took patterns looking for the end again from every
    // opener seconds to minutes; read in one pass they are plain work.
    for (const opener of ["<!--", "<", "<script", "<a ", "</"]) {
      const hostile = "mot " + opener.repeat(100_000);
      expect(words(markupToText(hostile, HTML_RULES))).toMatch(/^mot/);
    }
    const closedLate = "<a".repeat(100_000) + "> fin";
    expect(words(markupToText(closedLate, HTML_RULES))).toBe("fin");
  });

  it("reads OpenDocument paragraphs, spans and spaces", () => {
    const xml = '<office:text><text:h text:outline-level="1">Bilan'
      + "</text:h><text:p>Les <text:span text:style-name=\"T1\">terri"
      + "</text:span>toires<text:s/>ruraux<text:tab/>et<text:line-break/>"
      + "les villes</text:p></office:text>";
    expect(markupToText(xml, ODT_RULES).split("\n").map(words)
      .filter(Boolean)).toEqual(["Bilan", "Les territoires ruraux et",
      "les villes"]);
  });

  it("reads numeric entities within Unicode only", () => {
    expect(words(markupToText("&#x1F331; &#xFFFFFF; &#0; &#xD800; &lt;b&gt;",
      HTML_RULES))).toBe("🌱 <b>");
  });
});
