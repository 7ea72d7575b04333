import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../test/app.ts";
import { createPerson } from "../../test/factories.ts";

describe("refused addresses and requests, in French", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("names a too long search on the page, with a way back", async () => {
    const response = await t.client().get(`/annuaire?q=${"a".repeat(201)}`);

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      "Le paramètre « q » est trop long (200 caractères au plus).");
    expect(response.body).toContain('href="/annuaire"');
    expect(response.body).not.toMatch(/must NOT|querystring/);
  });

  it("answers the API in JSON, in French", async () => {
    const tooLong = await t.app.inject(
      { url: `/api/territories?q=${"a".repeat(101)}` });
    const notANumber = await t.app.inject(
      { url: "/api/territories?q=Loos&limit=beaucoup" });
    const notAllowed = await t.app.inject(
      { url: "/api/territories?q=Loos&kind=planete" });
    const missing = await t.app.inject({ url: "/api/territories" });

    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toEqual({ error: "invalid", message:
      "Le paramètre « q » est trop long (100 caractères au plus)." });
    expect(notANumber.json().message)
      .toBe("Le paramètre « limit » doit être un nombre.");
    expect(notAllowed.json().message)
      .toBe("Le paramètre « kind » n'est pas une valeur permise.");
    expect(missing.json().message).toBe("Le paramètre « q » est obligatoire.");
  });

  it("sends a visitor to sign in for the journal, refuses it to an ally",
    async () => {
      const ally = await createPerson(t.database.db, { role: "ally" });
      const allyClient = t.client();
      await allyClient.signIn(ally.id);

      for (const url of ["/admin/journal", "/admin/journal.csv"]) {
        const visitor = await t.client().get(url);
        expect(visitor.statusCode, url).toBe(303);
        expect(visitor.headers.location, url)
          .toBe(`/connexion?suite=${encodeURIComponent(url)}`);
        expect((await allyClient.get(url)).statusCode, url).toBe(403);
      }
    });

  it("sends a visitor refused a staff page of any feature to sign in",
    async () => {
      for (const url of ["/admin/fiches", "/admin/annuaire/import",
        "/admin/agenda/import", "/agenda/nouveau"]) {
        const response = await t.client().get(url);
        expect(response.statusCode, url).toBe(303);
        expect(response.headers.location, url).toMatch(/^\/connexion\?suite=/);
      }
    });

  it("answers headers too large with a French page", async () => {
    await t.app.listen({ port: 5101, host: "127.0.0.1" });
    const answer = await new Promise<{ status: number; body: string;
      type: string }>((resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port: 5101, path: "/",
        headers: { cookie: `x=${"a".repeat(64 * 1024)}` } }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => { body += chunk; });
        response.on("end", () => resolve({ status: response.statusCode!,
          body, type: String(response.headers["content-type"]) }));
      });
      request.on("error", reject);
    });

    expect(answer.status).toBe(431);
    expect(answer.type).toContain("text/html");
    expect(answer.body).toContain("trop volumineuse");
    expect(answer.body).not.toContain("Exceeded");
  });
});
