import { lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { query } from "../../db/client.ts";
import { DomainError } from "../../domain/errors.ts";
import { rateLimits } from "./tables.ts";

export const rateLimited = (
  message = "Trop de tentatives. Réessayez dans quelques minutes.",
) => new DomainError("rate_limited", message);

/**
 * Counts one hit of `key` in the current fixed window and refuses it once
 * the window holds more than `max`. The upsert is one statement, so hits
 * from several nodes at once are all counted. Call it outside the
 * transaction of the attempt: a failed attempt must still count.
 */
export async function consumeRateLimit(
  db: Db, key: string, max: number, windowSeconds: number, now: Date,
): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await query<{ hits: number }>(db, sql`
    insert into ${rateLimits} (key, window_start, hits)
    values (${key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start)
    do update set hits = ${rateLimits}.hits + 1
    returning hits`);

  if (Number(row.hits) > max) throw rateLimited();
}

/** Forgets windows older than a day: none of Atelier's is longer. */
export async function purgeRateLimits(db: Db, now: Date) {
  await db.delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(now.getTime() - 86400_000)));
}

/** The limits Atelier applies, in one place. */
export const LIMITS = {
  signInPerAddress: { max: 10, windowSeconds: 15 * 60 },
  signInPerIp: { max: 30, windowSeconds: 15 * 60 },
  mailPerAddress: { max: 5, windowSeconds: 3600 },
  mailPerIp: { max: 20, windowSeconds: 3600 },
} as const;

type LimitName = "signIn" | "mail";

/** Applies the per-address and per-IP limits of one kind of request. */
export async function limitAttempt(
  db: Db, kind: LimitName, email: string, ip: string, now: Date,
) {
  const perAddress = LIMITS[`${kind}PerAddress`];
  const perIp = LIMITS[`${kind}PerIp`];
  await consumeRateLimit(db, `${kind}:ip:${ip}`, perIp.max,
    perIp.windowSeconds, now);
  await consumeRateLimit(db, `${kind}:address:${email}`, perAddress.max,
    perAddress.windowSeconds, now);
}
