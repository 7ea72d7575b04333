import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import pino from "pino";
import { loadConfig, type Config } from "../src/config.ts";
import type { Database } from "../src/db/client.ts";
import type { Ctx, Actor } from "../src/domain/context.ts";
import { createSession, SESSION_COOKIE } from "../src/features/accounts/sessions.ts";
import { buildApp } from "../src/web/app.ts";
import { createTestDatabase } from "./db.ts";

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  config: Config;
  /** A use-case context for the given actor on this app's database. */
  ctx(actor: Actor): Ctx;
  /** A browser-like client with its own cookies. */
  client(): TestClient;
  close(): Promise<void>;
}

export async function createTestApp(
  overrides: Partial<Config> = {}, now?: () => Date,
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = {
    ...loadConfig({}),
    seed: "none" as const,
    runWorkers: false,
    baseUrl: "http://atelier.test",
    logLevel: "silent",
    ...overrides,
  };
  const app = await buildApp({ config, database, logger: false, now });
  await app.ready();
  const log = pino({ level: "silent" });

  return {
    app,
    database,
    config,
    ctx: (actor) => ({ actor, db: database.db, log, config,
      now: now ?? (() => new Date()) }),
    client: () => new TestClient(app),
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/**
 * Drives the app through `inject` like a browser: keeps cookies, and fills
 * in the CSRF token of the last page it read before posting a form.
 */
export class TestClient {
  private cookies = new Map<string, string>();
  private csrfToken: string | undefined;

  constructor(readonly app: FastifyInstance) {}

  /** Signs a person in by opening a session directly in the database. */
  async signIn(personId: string) {
    const token = await createSession(this.app.database.db, personId);
    this.cookies.set(SESSION_COOKIE, token);

    return this;
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as any[]) {
      if (cookie.maxAge === 0 || cookie.value === "") {
        this.cookies.delete(cookie.name);
      } else {
        this.cookies.set(cookie.name, cookie.value);
      }
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match) this.csrfToken = match[1];
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const response = await this.app.inject({
      method: "GET", url, headers: { cookie: this.cookieHeader(), ...headers },
    });
    this.remember(response);

    return response;
  }

  /** Posts a form as the browser would, with the CSRF token. */
  async post(url: string, fields: Record<string, string | string[]> = {}) {
    if (!this.csrfToken) await this.get("/");
    const body = new URLSearchParams();
    body.set("_csrf", this.csrfToken!);
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        body.append(key, v);
      }
    }
    const response = await this.app.inject({
      method: "POST", url, payload: body.toString(),
      headers: {
        cookie: this.cookieHeader(),
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    this.remember(response);

    return response;
  }

  /** Uploads one file in a multipart form (token in the query string). */
  async upload(
    url: string, file: { field: string; filename: string; content: Buffer;
      contentType?: string },
    fields: Record<string, string> = {},
  ) {
    if (!this.csrfToken) await this.get("/");
    const boundary = "----atelier-test-boundary";
    const parts: Buffer[] = [];
    for (const [key, value] of Object.entries(fields)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ` +
        `name="${key}"\r\n\r\n${value}\r\n`));
    }
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ` +
      `name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ` +
      `${file.contentType ?? "text/csv"}\r\n\r\n`), file.content,
      Buffer.from(`\r\n--${boundary}--\r\n`));
    const separator = url.includes("?") ? "&" : "?";
    const response = await this.app.inject({
      method: "POST",
      url: `${url}${separator}_csrf=${encodeURIComponent(this.csrfToken!)}`,
      payload: Buffer.concat(parts),
      headers: {
        cookie: this.cookieHeader(),
        "content-type": `multipart/form-data; boundary=${boundary}`,
      },
    });
    this.remember(response);

    return response;
  }
}
