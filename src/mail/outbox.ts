import { and, asc, eq, lte, or, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { outbox, type MailAttachment } from "./tables.ts";

export interface NewMail {
  to: string;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
  /** A message with the same key is written only once. */
  dedupeKey?: string;
}

/**
 * Queues an e-mail. Call it inside the transaction of the change that
 * causes it: the mail exists if and only if the change was committed.
 * Returns false when a message with the same dedupe key already exists.
 */
export async function enqueueMail(db: Db, mail: NewMail): Promise<boolean> {
  const inserted = await db.insert(outbox).values({
    recipient: mail.to,
    subject: mail.subject,
    text: mail.text,
    attachments: mail.attachments ?? [],
    dedupeKey: mail.dedupeKey ?? null,
    // Due at once. Truncated to the millisecond, the precision of the
    // worker's JavaScript clock, so a mail queued within the same
    // millisecond as a claim is not seen as due in the future.
    nextAttemptAt: sql`date_trunc('milliseconds', now())`,
  }).onConflictDoNothing().returning({ id: outbox.id });

  return inserted.length > 0;
}

export type OutboxMessage = typeof outbox.$inferSelect;

/** How long a claimed message stays hidden from other workers. */
const CLAIM_SECONDS = 120;
export const MAX_ATTEMPTS = 8;

/**
 * Claims the next due message for this worker. SKIP LOCKED lets several
 * nodes poll at once without ever claiming the same message.
 */
export async function claimNextMail(db: Db, now: Date) {
  const due = db.select({ id: outbox.id }).from(outbox).where(and(
    eq(outbox.status, "pending"),
    lte(outbox.nextAttemptAt, now),
    or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
  )).orderBy(asc(outbox.nextAttemptAt)).limit(1).for("update", {
    skipLocked: true,
  });
  const lockedUntil = new Date(now.getTime() + CLAIM_SECONDS * 1000);
  const [message] = await db.update(outbox)
    .set({ lockedUntil, attempts: sql`${outbox.attempts} + 1` })
    .where(sql`${outbox.id} = (${due})`)
    .returning();

  return message as OutboxMessage | undefined;
}

export async function markMailSent(db: Db, id: string, now: Date) {
  await db.update(outbox)
    .set({ status: "sent", sentAt: now, lockedUntil: null, lastError: null })
    .where(eq(outbox.id, id));
}

/** Schedules a retry with exponential backoff, or gives up. */
export async function markMailFailed(
  db: Db, message: OutboxMessage, error: string, now: Date,
) {
  const giveUp = message.attempts >= MAX_ATTEMPTS;
  const delay = Math.min(2 ** message.attempts * 30, 6 * 3600) * 1000;
  await db.update(outbox).set({
    status: giveUp ? "failed" : "pending",
    lastError: error.slice(0, 500),
    lockedUntil: null,
    nextAttemptAt: new Date(now.getTime() + delay),
  }).where(eq(outbox.id, message.id));
}
