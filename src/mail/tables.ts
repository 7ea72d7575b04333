import { sql } from "drizzle-orm";
import {
  check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, id } from "../db/columns.ts";

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * Every e-mail is first written here, in the same transaction as the change
 * that causes it, then sent by the outbox worker. A message is claimed by
 * one worker at a time, so it is never sent twice by two nodes.
 */
export const outbox = pgTable("outbox", {
  id: id(),
  recipient: text("recipient").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  attachments: jsonb("attachments").$type<MailAttachment[]>().notNull()
    .default(sql`'[]'::jsonb`),
  /** Set for messages that must exist only once (a reminder, say). */
  dedupeKey: text("dedupe_key"),
  status: text("status", { enum: ["pending", "sent", "failed"] }).notNull()
    .default("pending"),
  attempts: integer("attempts").notNull().default(0),
  nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true })
    .notNull().defaultNow(),
  /** A claimed message is hidden from other workers until this instant. */
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  sentAt: timestamp("sent_at", { withTimezone: true }),
  lastError: text("last_error"),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("outbox_dedupe_key").on(t.dedupeKey),
  index("outbox_due_idx").on(t.nextAttemptAt)
    .where(sql`${t.status} = 'pending'`),
  check("outbox_status_check",
    sql`${t.status} in ('pending', 'sent', 'failed')`),
]);
