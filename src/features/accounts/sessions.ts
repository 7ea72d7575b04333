import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Actor } from "../../domain/context.ts";
import { VISITOR } from "../../domain/context.ts";
import { purgeRateLimits } from "./rate-limits.ts";
import { hashToken, randomToken } from "./secrets.ts";
import { purgeTokens } from "./tokens.ts";
import { people, sessions } from "./tables.ts";

export const SESSION_COOKIE = "atelier_session";
export const SESSION_DAYS = 30;

/** Opens a session and returns the cookie value (never stored as such). */
export async function createSession(
  db: Db, personId: string, now = new Date(),
): Promise<string> {
  const token = randomToken();
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    personId,
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86400_000),
  });

  return token;
}

/** The actor behind a session cookie; a visitor when it is unknown. */
export async function findSessionActor(
  db: Db, token: string | undefined, now = new Date(),
): Promise<Actor> {
  if (!token) return VISITOR;
  const [row] = await db.select({
    id: people.id,
    fullName: people.fullName,
    email: people.email,
    role: people.role,
    isFacilitator: people.isFacilitator,
  }).from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(and(
      eq(sessions.tokenHash, hashToken(token)),
      gt(sessions.expiresAt, now),
      eq(people.accountStatus, "active"),
    ));
  if (!row) return VISITOR;

  return { kind: "person", ...row, email: row.email ?? "" };
}

export async function deleteSession(db: Db, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** Signs a person out everywhere, after a password change for instance. */
export async function deleteSessionsOf(db: Db, personId: string) {
  await db.delete(sessions).where(eq(sessions.personId, personId));
}

/**
 * Forgets expired sessions, dead links and old rate-limit windows, so
 * that these tables stay small.
 */
export async function purgeAccountRecords(db: Db, now: Date) {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  await purgeTokens(db, now);
  await purgeRateLimits(db, now);
}
