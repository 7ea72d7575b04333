import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  invalid, isPgError, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { hashPassword, randomToken } from "./secrets.ts";
import { createSession } from "./sessions.ts";
import type { SignedIn } from "./sign-in.ts";
import { people } from "./tables.ts";
import { consumeToken, issueToken, peekToken } from "./tokens.ts";
import {
  emailError, nameError, newPasswordErrors, normalizeEmail, throwIfErrors,
} from "./validation.ts";

async function hasActiveStaff(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` })
    .from(people).where(and(
      eq(people.role, "staff"), eq(people.accountStatus, "active")));

  return row.n > 0;
}

/**
 * On a fresh installation nobody can sign in yet. While no active staff
 * exists, this makes a one-time link (valid 24 hours) to create the first
 * staff account, for the server to print in its log; otherwise null.
 */
export async function ensureFirstStaffLink(ctx: Ctx): Promise<string | null> {
  if (await hasActiveStaff(ctx.db)) return null;
  const token = await issueToken(ctx.db, "first_staff", null, ctx.now());

  return `${ctx.config.baseUrl}/premier-compte/${token}`;
}

const FIRST_STAFF_USED = "Ce lien n'est plus valable : il a déjà servi, a "
  + "expiré, ou l'équipe a déjà un compte. Connectez-vous.";

/** True while the link can still create the first staff account. */
export async function checkFirstStaffLink(ctx: Ctx, input: { token: string }) {
  const link = await peekToken(ctx.db, input.token, "first_staff", ctx.now());
  if (!link || await hasActiveStaff(ctx.db)) throw invalid(FIRST_STAFF_USED);
}

/**
 * Creates the first staff account with the link from the log and signs
 * its holder in. The link is the right: whoever reads the server's log.
 */
export async function createFirstStaff(ctx: Ctx, input: {
  token: string; fullName: string; email: string; password: string;
  confirmation: string;
}): Promise<SignedIn> {
  await checkFirstStaffLink(ctx, input);
  const fullName = input.fullName.trim();
  const email = normalizeEmail(input.email);
  throwIfErrors({
    fullName: nameError(fullName), email: emailError(email),
    ...newPasswordErrors(input.password, input.confirmation),
  });
  const passwordHash = await hashPassword(input.password);

  try {
    return await ctx.db.transaction(async (tx) => {
      const link = await consumeToken(tx, input.token, "first_staff",
        ctx.now());
      if (!link || await hasActiveStaff(tx)) throw invalid(FIRST_STAFF_USED);
      const [person] = await tx.insert(people).values({
        fullName, email, role: "staff", accountStatus: "active",
        passwordHash, calendarToken: randomToken(16),
      }).returning();

      return { personId: person.id,
        sessionToken: await createSession(tx, person.id, ctx.now()) };
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw invalid("Cette adresse est déjà utilisée.",
        { email: "Cette adresse est déjà utilisée." });
    }
    throw error;
  }
}
