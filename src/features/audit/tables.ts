import { sql } from "drizzle-orm";
import {
  index, jsonb, pgTable, text, timestamp, uuid,
} from "drizzle-orm/pg-core";
import { id } from "../../db/columns.ts";

/**
 * What happened, who did it, to what: one row per step of a process that
 * must be accountable (a label proposal, a vote, a decision). Rows are only
 * ever added. The actor is copied by id and name, without a foreign key,
 * because the trail must outlive the people it names, and background jobs
 * act as no person at all.
 */
export const auditEvents = pgTable("audit_events", {
  id: id(),
  actorId: uuid("actor_id"),
  actorName: text("actor_name").notNull(),
  /** Dotted verb: "ballot.vote_cast", "label.withdrawn". */
  action: text("action").notNull(),
  subjectKind: text("subject_kind").notNull(),
  subjectId: uuid("subject_id").notNull(),
  details: jsonb("details").$type<Record<string, unknown>>().notNull()
    .default(sql`'{}'::jsonb`),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("audit_events_subject_idx").on(t.subjectKind, t.subjectId),
  index("audit_events_at_idx").on(t.at),
]);
