import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, startBrowserHarness, type BrowserHarness }
  from "../browser.ts";

describe("home page in a browser", () => {
  let h: BrowserHarness;
  beforeAll(async () => { h = await startBrowserHarness(); });
  afterAll(async () => { await h?.close(); });

  it("shows the home page in French without accessibility violations", async () => {
    const page = await h.newPage();
    await page.goto("/");

    await expect(page.getByRole("heading", { level: 1 }).textContent())
      .resolves.toContain("Alliance");
    await expectAccessible(page);
  });
});
