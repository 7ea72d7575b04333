import { sql } from "drizzle-orm";
import {
  boolean, check, index, integer, pgTable, primaryKey, text, timestamp,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.ts";

export const ROLES = ["ally", "staff"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Where a person's account stands. "none" is a directory entry without an
 * account (a contact imported from a spreadsheet); "requested" asked to join
 * and waits for staff; "invited" was invited by staff and has not yet chosen
 * a password.
 */
export const ACCOUNT_STATUSES = [
  "none", "requested", "invited", "active", "refused", "disabled",
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const people = pgTable("people", {
  id: id(),
  fullName: text("full_name").notNull(),
  email: text("email"),
  role: text("role", { enum: ROLES }).notNull().default("ally"),
  accountStatus: text("account_status", { enum: ACCOUNT_STATUSES })
    .notNull().default("none"),
  passwordHash: text("password_hash"),
  isFacilitator: boolean("is_facilitator").notNull().default(false),
  bio: text("bio").notNull().default(""),
  phone: text("phone"),
  emailVisibility: text("email_visibility").notNull().default("allies"),
  phoneVisibility: text("phone_visibility").notNull().default("allies"),
  /** Message left with a request to join, read by staff. */
  joinMessage: text("join_message").notNull().default(""),
  /** Organisation named with a request to join, as the person wrote it. */
  joinOrganisation: text("join_organisation").notNull().default(""),
  /** Secret part of the personal calendar feed URL. */
  calendarToken: text("calendar_token").notNull(),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  // One account per address, whatever its case.
  uniqueIndex("people_email_key").on(sql`lower(${t.email})`),
  uniqueIndex("people_calendar_token_key").on(t.calendarToken),
  check("people_role_check", sql`${t.role} in ('ally', 'staff')`),
  check("people_email_visibility_check",
    sql`${t.emailVisibility} in ('public', 'allies', 'staff')`),
  check("people_phone_visibility_check",
    sql`${t.phoneVisibility} in ('public', 'allies', 'staff')`),
  // A person who can sign in must be reachable.
  check("people_active_has_email_check",
    sql`${t.accountStatus} = 'none' or ${t.email} is not null`),
]);

/**
 * Signed-in sessions live in the database so that several application
 * nodes share them. Only a hash of the cookie value is stored.
 */
export const sessions = pgTable("sessions", {
  tokenHash: text("token_hash").primaryKey(),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
}, (t) => [index("sessions_person_idx").on(t.personId)]);

export const TOKEN_PURPOSES = [
  "sign_in", "password_reset", "invitation", "first_staff",
] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Single-use links sent by e-mail (or printed in the log for first start). */
export const accountTokens = pgTable("account_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  purpose: text("purpose", { enum: TOKEN_PURPOSES }).notNull(),
  personId: uuid("person_id")
    .references(() => people.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [
  check("account_tokens_purpose_check", sql`${t.purpose} in
    ('sign_in', 'password_reset', 'invitation', 'first_staff')`),
  // Every link but the first-staff one belongs to a person.
  check("account_tokens_person_check",
    sql`${t.purpose} = 'first_staff' or ${t.personId} is not null`),
  // Deleting a person cascades here; without it each delete scans.
  index("account_tokens_person_idx").on(t.personId),
]);

/**
 * Fixed-window counters shared by all nodes: sign-in attempts and link
 * requests per address and per IP.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").notNull(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  hits: integer("hits").notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.key, t.windowStart] }),
  // Old windows are purged by date.
  index("rate_limits_window_idx").on(t.windowStart),
]);
