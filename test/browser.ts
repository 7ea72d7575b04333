import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { loadConfig, type Config } from "../src/config.ts";
import type { Database } from "../src/db/client.ts";
import { systemCtx, type Ctx } from "../src/domain/context.ts";
import { createSession, SESSION_COOKIE } from "../src/features/accounts/sessions.ts";
import { drainOutbox, smtpTransport } from "../src/mail/worker.ts";
import { buildApp } from "../src/web/app.ts";
import { createTestDatabase } from "./db.ts";
import { startSmtpServer } from "./smtp.ts";

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
  "--disable-quic",
];

export interface BrowserHarness {
  app: FastifyInstance;
  database: Database;
  config: Config;
  browser: Browser;
  baseUrl: string;
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  /** A staff context on the server's database, to set the scene. */
  operator: Ctx;
  /** A fresh browser page, signed in as the person when one is given. */
  newPage(personId?: string): Promise<Page>;
  /** Sends the queued e-mails to the loopback SMTP server now. */
  sendMail(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real server on a loopback port with its own database and SMTP server,
 * and a headless Debian Chromium to drive it.
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const database = await createTestDatabase();
  const smtp = await startSmtpServer();
  const base = { ...loadConfig({}), seed: "none" as const, runWorkers: false,
    logLevel: "silent", smtpUrl: smtp.url };
  // The port is known only once listening; the base URL follows it.
  const config: Config = { ...base };
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as any).port as number;
  config.baseUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  const log = pino({ level: "silent" });
  const operator = systemCtx({ db: database.db, log, config,
    now: () => new Date() });

  return {
    app, database, config, browser, smtp, operator,
    baseUrl: config.baseUrl,
    async newPage(personId) {
      const context = await browser.newContext({
        baseURL: config.baseUrl, locale: "fr-FR",
        // A visitor far from Paris must still see Paris times.
        timezoneId: "America/New_York",
      });
      if (personId) {
        const token = await createSession(database.db, personId);
        await context.addCookies([{ name: SESSION_COOKIE, value: token,
          url: config.baseUrl, httpOnly: true, sameSite: "Lax" }]);
      }

      return context.newPage();
    },
    async sendMail() {
      await drainOutbox(database.db, smtpTransport(config), log);
    },
    async close() {
      await browser.close();
      await app.close();
      await database.close();
      await smtp.close();
    },
  };
}

/** Fails on any serious or critical accessibility violation of the page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target)
      .join(", ")})`);

  expect(serious, `axe violations on ${page.url()}`).toEqual([]);
}
