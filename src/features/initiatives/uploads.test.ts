import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  addMembership, createOrganisation, createPerson,
} from "../../../test/factories.ts";
import { initiatives } from "./tables.ts";

// The smallest valid PNG: one transparent pixel.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE"
  + "QVR42mNkYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==", "base64");

describe("initiative images", () => {
  let t: TestApp;
  let orgId: string;
  let allyId: string;
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), "atelier-img-"));
  const fields = (title: string) => ({
    title, summary: "Résumé à garder", carrierIds: orgId, stage: "idea",
    territories: "", themes: "eau", links: "", description: "",
  });

  beforeAll(async () => {
    t = await createTestApp({ uploadsDir });
    const org = await createOrganisation(t.database.db);
    const ally = await createPerson(t.database.db);
    await addMembership(t.database.db, ally.id, org.id);
    orgId = org.id;
    allyId = ally.id;
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(uploadsDir, { recursive: true, force: true });
  });

  async function client() {
    const c = await t.client().signIn(allyId);
    await c.get("/initiatives/nouvelle");

    return c;
  }

  it("stores a PNG outside the database under a random name and serves it safely", async () => {
    const c = await client();
    const response = await c.upload("/initiatives/nouvelle", { field: "image",
      filename: "../../photo.png", content: PNG, contentType: "image/png" },
    fields("Avec image"));

    expect(response.statusCode).toBe(303);
    const [row] = await t.database.db.select().from(initiatives)
      .where(eq(initiatives.title, "Avec image"));
    expect(row.imageFile).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(fs.readFileSync(path.join(uploadsDir, "initiatives",
      row.imageFile!))).toEqual(PNG);

    // A draft's image is for its carriers only.
    const hidden = await t.client().get(`/fichiers/initiatives/${row.imageFile}`);
    expect(hidden.statusCode).toBe(404);
    const image = await c.get(`/fichiers/initiatives/${row.imageFile}`);
    expect(image.statusCode).toBe(200);
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.headers["x-content-type-options"]).toBe("nosniff");
    expect(image.headers["content-disposition"]).toBe("inline");
    expect(image.headers["cache-control"]).toBe("private, no-store");
    expect(image.rawPayload).toEqual(PNG);
  });

  it("refuses an oversized image with a French message and keeps the input", async () => {
    const c = await client();
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024 + 10)]);

    const response = await c.upload("/initiatives/nouvelle", { field: "image",
      filename: "grande.png", content: big, contentType: "image/png" },
    fields("Trop lourde"));

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("L'image dépasse 2 Mo");
    expect(response.body).toContain("Trop lourde");
    expect(response.body).toContain("Résumé à garder");
    const rows = await t.database.db.select().from(initiatives)
      .where(eq(initiatives.title, "Trop lourde"));
    expect(rows).toHaveLength(0);
  });

  it("refuses an SVG or an HTML page dressed as a PNG", async () => {
    const c = await client();
    for (const content of [
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      Buffer.from("<html><script>alert(1)</script></html>"),
    ]) {
      const response = await c.upload("/initiatives/nouvelle", {
        field: "image", filename: "image.png", content,
        contentType: "image/png" }, fields("Fausse image"));

      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(
        "L'image doit être au format PNG, JPEG ou WebP.");
    }
  });

  it("keeps the saved image when an edit brings a bad one", async () => {
    const c = await client();
    await c.upload("/initiatives/nouvelle", { field: "image",
      filename: "a.png", content: PNG, contentType: "image/png" },
    fields("Image gardée"));
    const [before] = await t.database.db.select().from(initiatives)
      .where(eq(initiatives.title, "Image gardée"));
    await c.get(`/initiatives/${before.slug}/modifier`);

    const response = await c.upload(`/initiatives/${before.slug}/modifier`, {
      field: "image", filename: "b.png", content: Buffer.from("GIF89a...."),
      contentType: "image/png" }, { ...fields("Image gardée, titre changé") });

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Image gardée, titre changé");
    const [after] = await t.database.db.select().from(initiatives)
      .where(eq(initiatives.id, before.id));
    expect(after.imageFile).toBe(before.imageFile);
    expect(after.title).toBe("Image gardée");
  });

  it("refuses an upload without its CSRF token", async () => {
    const response = await t.app.inject({
      method: "POST", url: "/initiatives/nouvelle",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      payload: "--x--\r\n",
    });

    expect(response.statusCode).toBe(403);
  });
});
