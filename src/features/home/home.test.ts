import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";

describe("home and health", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("reports the database engine in use", async () => {
    const response = await t.app.inject("/health");

    expect(response.json()).toEqual({
      status: "ok",
      database: process.env.DATABASE_URL ? "postgresql" : "pglite",
    });
  });

  it("serves the home page in French with a strict CSP", async () => {
    const response = await t.client().get("/");

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<html lang="fr">');
    expect(response.headers["content-security-policy"])
      .toContain("script-src 'self'");
  });

  it("refuses a form posted without its CSRF token", async () => {
    const response = await t.app.inject({
      method: "POST", url: "/deconnexion", payload: "a=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });

    expect(response.statusCode).toBe(403);
    expect(response.body).toContain("Le formulaire a expiré");
  });

  it("answers an unknown page with a French 404", async () => {
    const response = await t.client().get("/nulle-part");

    expect(response.statusCode).toBe(404);
    expect(response.body).toContain("Page introuvable");
  });

  it("publishes an OpenAPI document", async () => {
    const response = await t.app.inject("/api/openapi.json");

    expect(response.json().openapi).toMatch(/^3\./);
  });
});
