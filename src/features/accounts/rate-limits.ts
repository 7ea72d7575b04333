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
  const hits = await recordHit(db, key, windowSeconds, now);
  if (hits > max) throw rateLimited();
}

const windowStartOf = (windowSeconds: number, now: Date) => {
  const windowMs = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
};

/** Counts one hit of `key` in the current window; returns the count. */
async function recordHit(
  db: Db, key: string, windowSeconds: number, now: Date,
): Promise<number> {
  const windowStart = windowStartOf(windowSeconds, now);
  const [row] = await query<{ hits: number }>(db, sql`
    insert into ${rateLimits} (key, window_start, hits)
    values (${key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start)
    do update set hits = ${rateLimits}.hits + 1
    returning hits`);

  return Number(row.hits);
}

/** Refuses when the current window of `key` already holds `max` hits. */
async function checkRateLimit(
  db: Db, key: string, max: number, windowSeconds: number, now: Date,
): Promise<void> {
  const [row] = await query<{ hits: number }>(db, sql`
    select hits from ${rateLimits}
    where key = ${key}
      and window_start = ${windowStartOf(windowSeconds, now).toISOString()}`);

  if (row && Number(row.hits) >= max) throw rateLimited();
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

/**
 * Refuses a sign-in when the address or the IP already has too many
 * failed attempts in the window. Checked before the password, so a
 * locked address learns nothing, not even from a right password.
 */
export async function checkSignInLimits(
  db: Db, email: string, ip: string, now: Date,
) {
  const { signInPerAddress: perAddress, signInPerIp: perIp } = LIMITS;
  await checkRateLimit(db, `signIn:ip:${ip}`, perIp.max,
    perIp.windowSeconds, now);
  await checkRateLimit(db, `signIn:address:${email}`, perAddress.max,
    perAddress.windowSeconds, now);
}

/**
 * Counts one failed sign-in against the address and the IP. Only failures
 * count: people who sign in rightly, however often, are never locked out.
 * Call it outside any transaction that the failure rolls back.
 */
export async function recordFailedSignIn(
  db: Db, email: string, ip: string, now: Date,
) {
  const { signInPerAddress: perAddress, signInPerIp: perIp } = LIMITS;
  await recordHit(db, `signIn:ip:${ip}`, perIp.windowSeconds, now);
  await recordHit(db, `signIn:address:${email}`, perAddress.windowSeconds,
    now);
}

/**
 * Applies the per-address and per-IP limits of one kind of request, every
 * request counting (e-mailed links and resets: each one sends a mail).
 */
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
