import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { sheetUploadsDir } from "./attachments.ts";
import { sheetAt, sheetScene, type SheetScene } from "./test-fixtures.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

describe("attachments of sheets", () => {
  let t: TestApp;
  let s: SheetScene;
  let slug: string;
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), "atelier-up-"));
  beforeAll(async () => {
    t = await createTestApp({ uploadsDir });
    s = await sheetScene(t);
    slug = (await sheetAt(s, "draft")).slug;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(uploadsDir, { recursive: true, force: true });
  });

  const upload = async (who: { id: string }, filename: string,
    content: Buffer, contentType: string) => {
    const client = await t.client().signIn(who.id);
    await client.get(`/fiches/${slug}`);

    return client.upload(`/fiches/${slug}/pieces`,
      { field: "file", filename, content, contentType });
  };

  it("stores a PDF under a random name and serves it as a download",
    async () => {
      const response = await upload(s.author, "../../rapport final.pdf", PDF,
        "application/pdf");
      expect(response.statusCode).toBe(303);

      const stored = fs.readdirSync(sheetUploadsDir(t.config));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatch(/^[0-9a-f]{48}$/);
      const page = await (await t.client().signIn(s.facilitator.id))
        .get(`/fiches/${slug}`);
      const href = /href="(\/fiches\/[^"]+\/pieces\/[^"]+)"/.exec(page.body)![1];
      expect(page.body).toContain("rapport final.pdf");
      const file = await (await t.client().signIn(s.author.id)).get(href);

      expect(file.statusCode).toBe(200);
      expect(file.headers["content-type"]).toBe("application/pdf");
      expect(file.headers["x-content-type-options"]).toBe("nosniff");
      expect(file.headers["content-disposition"]).toMatch(/^attachment;/);
      expect(file.rawPayload.equals(PDF)).toBe(true);
      // A draft's files are the writers' only.
      expect((await t.client().get(href)).statusCode).toBe(404);
    });

  it("refuses a file over 10 MB", async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const response = await upload(s.author, "gros.pdf", big,
      "application/pdf");

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("dépasse 10 Mo");
  });

  it("refuses a text file named like a PDF", async () => {
    const response = await upload(s.author, "faux.pdf",
      Buffer.from("Ceci n'est pas un PDF."), "application/pdf");

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("ni un PDF ni une image");
  });

  it("refuses a page disguised as an image", async () => {
    const response = await upload(s.author, "photo.png",
      Buffer.from("<html><script>alert(1)</script></html>"), "image/png");

    expect(response.statusCode).toBe(400);
  });

  it("serves a real image with its own type, inline", async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d,
      0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);
    expect((await upload(s.coauthor, "plan.png", png, "text/html"))
      .statusCode).toBe(303);
    const page = await (await t.client().signIn(s.author.id))
      .get(`/fiches/${slug}`);
    const id = /\/pieces\/([0-9a-f-]{36})">plan\.png/.exec(page.body)![1];
    const file = await (await t.client().signIn(s.author.id))
      .get(`/fiches/${slug}/pieces/${id}`);

    expect(file.headers["content-type"]).toBe("image/png");
    expect(file.headers["content-disposition"]).toMatch(/^inline;/);
  });

  it("refuses files from allies who do not write the sheet", async () => {
    const response = await upload(s.other, "rapport.pdf", PDF,
      "application/pdf");

    expect(response.statusCode).toBe(404);
  });

  it("offers a file under a name that says what it is, nothing hidden",
    async () => {
      const response = await upload(s.author, "x\u202efdp.html", PDF,
        "text/html");
      expect(response.statusCode).toBe(303);
      const client = await t.client().signIn(s.author.id);
      const page = await client.get(`/fiches/${slug}`);
      expect(page.body).toContain(">xfdp.html.pdf</a>");
      expect(page.body).not.toContain("\u202e");
      const href = /href="(\/fiches\/[^"]+\/pieces\/[^"]+)">xfdp/
        .exec(page.body)![1];
      const file = await client.get(href);
      expect(file.headers["content-type"]).toBe("application/pdf");
      expect(file.headers["content-disposition"])
        .toBe("attachment; filename*=UTF-8''xfdp.html.pdf");
    });
});

