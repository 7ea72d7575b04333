import { sql } from "drizzle-orm";
import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Primary key shared by every table: a random UUID made by the database. */
export const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);

/** An instant: every date and time is stored with its time zone. */
export const instant = (name: string) =>
  timestamp(name, { withTimezone: true });

export const createdAt = () =>
  timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** Who may read a contact field of a profile. */
export const VISIBILITIES = ["public", "allies", "staff"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
