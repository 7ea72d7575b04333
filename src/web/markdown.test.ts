import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.ts";

describe("renderMarkdown", () => {
  it("renders emphasis, lists and links", () => {
    const html = renderMarkdown("**fort** et [lien](https://a.fr)\n\n- un");

    expect(html).toContain("<strong>fort</strong>");
    expect(html).toContain('<a href="https://a.fr" rel="noopener nofollow ugc">');
    expect(html).toContain("<li>un</li>");
  });

  it("removes scripts, event handlers and javascript links", () => {
    const html = renderMarkdown(
      "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n" +
      "[x](javascript:alert(1)) <b onclick=\"x()\">b</b>");

    expect(html).not.toMatch(/<script|onerror|onclick|href="javascript|<img/);
  });

  it("demotes a first-level heading", () => {
    expect(renderMarkdown("# Titre")).toBe("<h2>Titre</h2>\n");
  });
});
