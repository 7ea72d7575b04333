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

/** Takes back one hit of `key` in the window that `now` falls in. */
async function forgetHit(
  db: Db, key: string, windowSeconds: number, now: Date,
): Promise<void> {
  await query(db, sql`
    update ${rateLimits} set hits = greatest(hits - 1, 0)
    where key = ${key}
      and window_start = ${windowStartOf(windowSeconds, now).toISOString()}`);
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
 * Counts a sign-in attempt against the IP, then the address, and refuses
 * it when either counter goes past its maximum. It runs before the
 * password is checked and each count is one statement that returns the
 * new total: of attempts racing each other, no more than the maximum ever
 * reach the password, and a locked address learns nothing, not even from
 * a right password. Call it outside any transaction that the attempt
 * rolls back, so that a failure stays counted.
 */
export async function countSignInAttempt(
  db: Db, email: string, ip: string, now: Date,
) {
  const { signInPerAddress: perAddress, signInPerIp: perIp } = LIMITS;
  await consumeRateLimit(db, `signIn:ip:${ip}`, perIp.max,
    perIp.windowSeconds, now);
  await consumeRateLimit(db, `signIn:address:${email}`, perAddress.max,
    perAddress.windowSeconds, now);
}

/**
 * Takes back the attempt counted at `now` once it proved to be a right
 * sign-in: only failures stay counted, so people who sign in rightly,
 * however often, are never locked out.
 */
export async function forgetSignInAttempt(
  db: Db, email: string, ip: string, now: Date,
) {
  const { signInPerAddress: perAddress, signInPerIp: perIp } = LIMITS;
  await forgetHit(db, `signIn:ip:${ip}`, perIp.windowSeconds, now);
  await forgetHit(db, `signIn:address:${email}`, perAddress.windowSeconds,
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
