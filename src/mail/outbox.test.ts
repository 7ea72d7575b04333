import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { eq } from "drizzle-orm";
import { loadConfig } from "../config.ts";
import type { Database } from "../db/client.ts";
import { createTestDatabase } from "../../test/db.ts";
import { startSmtpServer } from "../../test/smtp.ts";
import { enqueueMail } from "./outbox.ts";
import { outbox } from "./tables.ts";
import { drainOutbox, smtpTransport, type Transport } from "./worker.ts";

const log = pino({ level: "silent" });

describe("mail outbox", () => {
  let database: Database;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await database.close();
    await smtp.close();
  });

  it("sends a queued message over SMTP exactly once", async () => {
    const config = { ...loadConfig({}), smtpUrl: smtp.url };
    await enqueueMail(database.db, {
      to: "alliee@example.org", subject: "Bienvenue", text: "Bonjour",
    });

    const first = await drainOutbox(database.db, smtpTransport(config), log);
    const second = await drainOutbox(database.db, smtpTransport(config), log);

    expect([first, second]).toEqual([1, 0]);
    expect(smtp.messages.filter((m) => m.subject === "Bienvenue"))
      .toHaveLength(1);
  });

  it("writes a message with a dedupe key only once", async () => {
    const mail = { to: "a@example.org", subject: "Rappel", text: "Demain",
      dedupeKey: "reminder:x" };

    expect(await enqueueMail(database.db, mail)).toBe(true);
    expect(await enqueueMail(database.db, mail)).toBe(false);
  });

  it("retries a failed message later instead of losing it", async () => {
    await database.db.delete(outbox);
    await enqueueMail(database.db, { to: "b@example.org", subject: "Essai",
      text: "…" });
    const failing: Transport = { send: async () => { throw new Error("down"); } };

    await drainOutbox(database.db, failing, log);

    const [row] = await database.db.select().from(outbox)
      .where(eq(outbox.recipient, "b@example.org"));
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });
});
