import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { invalid } from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { passwordResetMail } from "./mails.ts";
import { findAccountForMailedLink } from "./people.ts";
import { canChangePassword, denied } from "./policy.ts";
import { hashPassword, verifyPassword } from "./secrets.ts";
import type { SignedIn } from "./sign-in.ts";
import { createSession, deleteSessionsOf } from "./sessions.ts";
import { people, type AccountStatus } from "./tables.ts";
import { consumeToken, issueToken, revokeTokensOf } from "./tokens.ts";
import {
  newPasswordErrors, throwIfErrors,
} from "./validation.ts";

/**
 * Stores a new password, ends every session and every unused link of the
 * person, and opens a new session for the device that chose it.
 */
export async function setPasswordAndSignIn(
  db: Db, personId: string, passwordHash: string, now: Date,
  status?: AccountStatus,
): Promise<SignedIn> {
  await db.update(people).set({
    passwordHash, updatedAt: now, version: sql`${people.version} + 1`,
    ...(status && { accountStatus: status }),
  }).where(eq(people.id, personId));
  await deleteSessionsOf(db, personId);
  await revokeTokensOf(db, personId, now);

  return { personId, sessionToken: await createSession(db, personId, now) };
}

/** Mails a reset link to an active account; silent about the others. */
export async function requestPasswordReset(ctx: Ctx, input: {
  email: string; ip: string;
}): Promise<void> {
  const person = await findAccountForMailedLink(ctx, input);
  if (!person) return;

  await ctx.db.transaction(async (tx) => {
    const token = await issueToken(tx, "password_reset", person.id,
      ctx.now());
    await enqueueMail(tx, { to: person.email!,
      ...passwordResetMail(ctx.config, token) });
  });
}

const RESET_USED = "Ce lien n'est plus valable : il a déjà servi ou a "
  + "expiré. Demandez-en un nouveau.";

/**
 * Sets a new password with a reset link. The input is checked before the
 * link is used, so a password too short does not waste the link.
 */
export async function resetPassword(ctx: Ctx, input: {
  token: string; password: string; confirmation: string;
}): Promise<SignedIn> {
  throwIfErrors(newPasswordErrors(input.password, input.confirmation));
  const hash = await hashPassword(input.password);

  return ctx.db.transaction(async (tx) => {
    const link = await consumeToken(tx, input.token, "password_reset",
      ctx.now());
    if (!link?.personId) throw invalid(RESET_USED);
    const [person] = await tx.select().from(people)
      .where(eq(people.id, link.personId));
    if (person?.accountStatus !== "active") throw invalid(RESET_USED);

    return setPasswordAndSignIn(tx, person.id, hash, ctx.now());
  });
}

/** A person changes their own password, knowing the current one. */
export async function changePassword(ctx: Ctx, input: {
  personId: string; currentPassword: string; password: string;
  confirmation: string;
}): Promise<SignedIn> {
  if (!canChangePassword(ctx.actor, input.personId)) throw denied(ctx.actor);
  const [person] = await ctx.db.select().from(people)
    .where(eq(people.id, input.personId));
  const current = await verifyPassword(input.currentPassword,
    person?.passwordHash ?? null);
  throwIfErrors({
    currentPassword: current ? undefined
      : "Le mot de passe actuel est incorrect.",
    ...newPasswordErrors(input.password, input.confirmation),
  });
  const hash = await hashPassword(input.password);

  return ctx.db.transaction((tx) =>
    setPasswordAndSignIn(tx, input.personId, hash, ctx.now()));
}
