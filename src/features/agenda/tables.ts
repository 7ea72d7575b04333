import { sql } from "drizzle-orm";
import {
  boolean, check, index, integer, pgTable, primaryKey, text,
  uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt, instant } from "../../db/columns.ts";
import { people } from "../accounts/tables.ts";
import { organisations } from "../directory/tables.ts";

export const EVENT_KINDS = [
  "meetup", "office_hours", "training", "fundamentals", "labelling",
  "assembly", "other",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_VISIBILITIES = ["public", "allies"] as const;
export type EventVisibility = (typeof EVENT_VISIBILITIES)[number];


/**
 * An event as staff describe it. Its dates are those of the first
 * occurrence; a recurring event also carries its RRULE and exceptions, and
 * its occurrences are materialised in `occurrences`.
 */
export const events = pgTable("events", {
  id: id(),
  slug: text("slug").notNull(),
  kind: text("kind", { enum: EVENT_KINDS }).notNull(),
  title: text("title").notNull(),
  description: text("description").notNull().default(""),
  hostOrganisationId: uuid("host_organisation_id")
    .references(() => organisations.id, { onDelete: "set null" }),
  startsAt: instant("starts_at").notNull(),
  endsAt: instant("ends_at").notNull(),
  /** All-day events run from midnight to midnight in Europe/Paris. */
  allDay: boolean("all_day").notNull().default(false),
  location: text("location").notNull().default(""),
  /** Shown only to people registered for the occurrence. */
  videoUrl: text("video_url"),
  capacity: integer("capacity"),
  registrationOpensAt: instant("registration_opens_at"),
  registrationClosesAt: instant("registration_closes_at"),
  visibility: text("visibility", { enum: EVENT_VISIBILITIES }).notNull()
    .default("public"),
  rrule: text("rrule"),
  /** Excluded start instants of a recurring event. */
  exdates: instant("exdates").array().notNull().default(sql`'{}'`),
  /** Stable iCalendar UID: kept from an imported file, made up otherwise. */
  icalUid: text("ical_uid").notNull(),
  cancelled: boolean("cancelled").notNull().default(false),
  createdBy: uuid("created_by").references(() => people.id,
    { onDelete: "set null" }),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("events_slug_key").on(t.slug),
  uniqueIndex("events_ical_uid_key").on(t.icalUid),
  check("events_kind_check", sql`${t.kind} in ('meetup', 'office_hours',
    'training', 'fundamentals', 'labelling', 'assembly', 'other')`),
  check("events_visibility_check",
    sql`${t.visibility} in ('public', 'allies')`),
  check("events_dates_check", sql`${t.endsAt} >= ${t.startsAt}`),
  check("events_capacity_check", sql`${t.capacity} is null or ${t.capacity} > 0`),
  check("events_registration_window_check", sql`
    ${t.registrationOpensAt} is null or ${t.registrationClosesAt} is null
    or ${t.registrationOpensAt} <= ${t.registrationClosesAt}`),
]);

/**
 * One dated instance of an event; registrations and attendance are per
 * occurrence. `confirmedCount` is kept by the registration use cases and
 * bounded by a CHECK, so two last-second registrations cannot both take
 * the last place whatever the timing.
 */
export const occurrences = pgTable("occurrences", {
  id: id(),
  eventId: uuid("event_id").notNull()
    .references(() => events.id, { onDelete: "cascade" }),
  startsAt: instant("starts_at").notNull(),
  endsAt: instant("ends_at").notNull(),
  capacity: integer("capacity"),
  confirmedCount: integer("confirmed_count").notNull().default(0),
  cancelled: boolean("cancelled").notNull().default(false),
}, (t) => [
  uniqueIndex("occurrences_event_start_key").on(t.eventId, t.startsAt),
  index("occurrences_starts_at_idx").on(t.startsAt),
  check("occurrences_dates_check", sql`${t.endsAt} >= ${t.startsAt}`),
  check("occurrences_capacity_check", sql`${t.confirmedCount} >= 0 and
    (${t.capacity} is null or ${t.confirmedCount} <= ${t.capacity})`),
]);

export const REGISTRATION_STATUSES = [
  "confirmed", "waiting", "cancelled",
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const registrations = pgTable("registrations", {
  id: id(),
  occurrenceId: uuid("occurrence_id").notNull()
    .references(() => occurrences.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  status: text("status", { enum: REGISTRATION_STATUSES }).notNull(),
  /** Order of the waiting list: when the person last joined it. */
  queuedAt: instant("queued_at").notNull().defaultNow(),
  reminderSentAt: instant("reminder_sent_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  // One registration per person per occurrence; a cancelled one is reused
  // when the person registers again.
  uniqueIndex("registrations_occurrence_person_key")
    .on(t.occurrenceId, t.personId),
  index("registrations_person_idx").on(t.personId),
  index("registrations_waiting_idx").on(t.occurrenceId, t.queuedAt)
    .where(sql`${t.status} = 'waiting'`),
  check("registrations_status_check",
    sql`${t.status} in ('confirmed', 'waiting', 'cancelled')`),
]);

/** Who came to an occurrence, recorded by staff afterwards. */
export const attendances = pgTable("attendances", {
  occurrenceId: uuid("occurrence_id").notNull()
    .references(() => occurrences.id, { onDelete: "cascade" }),
  personId: uuid("person_id").notNull()
    .references(() => people.id, { onDelete: "cascade" }),
  /** First time this person met the alliance. */
  newToAlliance: boolean("new_to_alliance").notNull().default(false),
  recordedBy: uuid("recorded_by").references(() => people.id,
    { onDelete: "set null" }),
  recordedAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.occurrenceId, t.personId] }),
  index("attendances_person_idx").on(t.personId),
]);
