import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../test/app.ts";
import { createDocumentRow, createInitiative } from "../../test/factories.ts";
import { createFeed } from "./feed.ts";

/** Texts as hostile as an imported calendar or a careless paste. */
const HOSTILE = [
  "sum \u000b\u000c ctrl",
  "<img src=x onerror=alert(2)>",
  "fin ]]> puis ]]> encore",
  "a & b &amp; <b>gras</b> \"cité\" l'été",
  "nul\u0000 \u0001 \u001f \ufffe \uffff seul\ud800 \udc00",
  "tab\tet\nligne \u{1F600}",
];

/** What a reader shows: the hostile text less what XML cannot carry. */
const shown = (text: string) => text.replace(
  /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "");

interface Read {
  error: string | null;
  entries: { title: string; summary: string; elements: number;
    categories: string[] }[];
}

/**
 * Reads a feed with the browser's XML parser, which refuses any document
 * that is not well-formed, then reads each title and summary as the HTML
 * the formats say they are.
 */
async function readFeed(page: Page, xml: string): Promise<Read> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "application/xml");
    const error = doc.getElementsByTagName("parsererror")[0];
    if (error) return { error: error.textContent, entries: [] };
    const asHtml = (html: string) => {
      const div = document.createElement("div");
      div.innerHTML = html;
      return div;
    };
    const entries = [...doc.querySelectorAll("item, entry")].map((item) => {
      const title = asHtml(item.querySelector("title")?.textContent ?? "");
      const summary = asHtml(item.querySelector("description, summary")
        ?.textContent ?? "");
      return { title: title.textContent ?? "",
        summary: summary.textContent ?? "",
        elements: title.children.length + summary.children.length,
        categories: [...item.querySelectorAll("category")].map((c) =>
          c.getAttribute("label") ?? c.textContent ?? "") };
    });
    return { error: null, entries };
  }, xml);
}

describe("the site's feeds, whatever their texts hold", () => {
  let browser: Browser;
  let page: Page;
  let t: TestApp;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking"] });
    page = await browser.newPage();
    t = await createTestApp();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("stays well-formed XML and shows plain text as text", async () => {
    const feed = createFeed({ title: "Flux \u000b", id: "http://a.test/",
      link: "http://a.test/", copyright: "", updated: new Date(0) },
    HOSTILE.map((text, n) => ({ title: text, summary: text,
      url: `http://a.test/${n}`, date: new Date(0), authors: [text],
      categories: [text] })));

    for (const xml of [feed.rss2(), feed.atom1()]) {
      const read = await readFeed(page, xml);
      expect(read.error).toBeNull();
      expect(read.entries.map((e) => e.title)).toEqual(HOSTILE.map(shown));
      expect(read.entries.map((e) => e.summary)).toEqual(HOSTILE.map(shown));
      expect(read.entries.every((e) => e.elements === 0)).toBe(true);
    }
  });

  it("keeps the library's and initiatives' feeds readable", async () => {
    const db = t.database.db;
    for (const text of HOSTILE.slice(0, 4)) {
      await createDocumentRow(db, { title: text, summary: text });
      await createInitiative(db, { title: text });
    }

    for (const url of ["/fonds/flux.xml", "/initiatives/flux.xml",
      "/initiatives/flux.atom"]) {
      const response = await t.client().get(url);
      expect(response.statusCode, url).toBe(200);
      const read = await readFeed(page, response.body);
      expect(read.error, url).toBeNull();
      expect(read.entries.map((e) => e.title), url)
        .toEqual(expect.arrayContaining(HOSTILE.slice(0, 4).map(shown)));
      expect(read.entries.every((e) => e.elements === 0), url).toBe(true);
    }
  });
});
