import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { hashToken, randomToken } from "./secrets.ts";
import { accountTokens, type TokenPurpose } from "./tables.ts";

/** How long each kind of link stays valid, in minutes. */
export const TOKEN_MINUTES: Record<TokenPurpose, number> = {
  sign_in: 15,
  password_reset: 60,
  invitation: 7 * 24 * 60,
  first_staff: 24 * 60,
};

/** Records a single-use link and returns its secret (stored hashed). */
export async function issueToken(
  db: Db, purpose: TokenPurpose, personId: string | null, now: Date,
): Promise<string> {
  const token = randomToken();
  await db.insert(accountTokens).values({
    tokenHash: hashToken(token),
    purpose,
    personId,
    expiresAt: new Date(now.getTime() + TOKEN_MINUTES[purpose] * 60_000),
  });

  return token;
}

const usable = (token: string, purpose: TokenPurpose, now: Date) => and(
  eq(accountTokens.tokenHash, hashToken(token)),
  eq(accountTokens.purpose, purpose),
  isNull(accountTokens.usedAt),
  gt(accountTokens.expiresAt, now),
);

/** The link if it can still be used, without using it (for GET pages). */
export async function peekToken(
  db: Db, token: string, purpose: TokenPurpose, now: Date,
) {
  const [row] = await db.select().from(accountTokens)
    .where(usable(token, purpose, now));

  return row;
}

/**
 * Uses a link. One UPDATE both checks and marks it, so of two requests
 * racing with the same link exactly one gets the row back.
 */
export async function consumeToken(
  db: Db, token: string, purpose: TokenPurpose, now: Date,
) {
  const [row] = await db.update(accountTokens).set({ usedAt: now })
    .where(usable(token, purpose, now)).returning();

  return row;
}

/**
 * Ends every link of a person still waiting to be used. A new password
 * makes the mailed links obsolete: a reset, sign-in or invitation link
 * sent before it must not open the account to whoever still holds it.
 */
export async function revokeTokensOf(db: Db, personId: string, now: Date) {
  await db.update(accountTokens).set({ usedAt: now })
    .where(and(eq(accountTokens.personId, personId),
      isNull(accountTokens.usedAt)));
}

/** Forgets links that can no longer be used. */
export async function purgeTokens(db: Db, now: Date) {
  const dayAgo = new Date(now.getTime() - 86400_000);
  await db.delete(accountTokens).where(or(
    lt(accountTokens.expiresAt, dayAgo), lt(accountTokens.usedAt, dayAgo)));
}
