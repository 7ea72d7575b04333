import { eq } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { invalid } from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { signInLinkMail } from "./mails.ts";
import { findAccountForMailedLink, findPersonByEmail } from "./people.ts";
import {
  countSignInAttempt, forgetSignInAttempt,
} from "./rate-limits.ts";
import { hashPassword, verifyPassword } from "./secrets.ts";
import { createSession, deleteSession } from "./sessions.ts";
import { people } from "./tables.ts";
import { consumeToken, issueToken } from "./tokens.ts";
import { normalizeEmail } from "./validation.ts";

/** What a successful sign-in gives the web layer: a session cookie. */
export interface SignedIn {
  personId: string;
  sessionToken: string;
}

const WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect.";

// Checked when the address is unknown, so that a wrong address takes as
// long as a wrong password and the timing reveals no account.
const decoy = hashPassword("mot de passe factice");

/**
 * Signs in with an address and a password. An unknown address, a wrong
 * password and an account that is not active get the same message.
 */
export async function signInWithPassword(ctx: Ctx, input: {
  email: string; password: string; ip: string;
}): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  if (!email || !input.password) {
    throw invalid(WRONG_CREDENTIALS, {
      ...(!email && { email: "Indiquez votre adresse e-mail." }),
      ...(!input.password && { password: "Indiquez votre mot de passe." }),
    });
  }
  // Counted as a failure until the password proves right, and in the
  // window of this moment, which is the one the success takes it back from.
  const now = ctx.now();
  await countSignInAttempt(ctx.db, email, input.ip, now);

  const person = await findPersonByEmail(ctx.db, email);
  const ok = await verifyPassword(input.password,
    person?.passwordHash ?? await decoy);
  if (!person || !ok || person.accountStatus !== "active") {
    throw invalid(WRONG_CREDENTIALS);
  }
  await forgetSignInAttempt(ctx.db, email, input.ip, now);

  return { personId: person.id,
    sessionToken: await createSession(ctx.db, person.id, ctx.now()) };
}

/**
 * Mails a single-use sign-in link when the address belongs to an active
 * account. Says nothing either way: the caller answers the same to all.
 */
export async function requestSignInLink(ctx: Ctx, input: {
  email: string; ip: string;
}): Promise<void> {
  const person = await findAccountForMailedLink(ctx, input);
  if (!person) return;

  await ctx.db.transaction(async (tx) => {
    const token = await issueToken(tx, "sign_in", person.id, ctx.now());
    await enqueueMail(tx, { to: person.email!,
      ...signInLinkMail(ctx.config, token) });
  });
}

const LINK_USED = "Ce lien de connexion n'est plus valable : il a déjà servi "
  + "ou a expiré. Demandez-en un nouveau.";

/** Uses a sign-in link: at most once, within its 15 minutes. */
export async function signInWithLink(ctx: Ctx, input: {
  token: string;
}): Promise<SignedIn> {
  return ctx.db.transaction(async (tx) => {
    const link = await consumeToken(tx, input.token, "sign_in", ctx.now());
    if (!link?.personId) throw invalid(LINK_USED);
    const [person] = await tx.select().from(people)
      .where(eq(people.id, link.personId));
    if (person?.accountStatus !== "active") throw invalid(LINK_USED);

    return { personId: person.id,
      sessionToken: await createSession(tx, person.id, ctx.now()) };
  });
}

/** Ends the session of this cookie; other devices stay signed in. */
export async function signOut(ctx: Ctx, input: { sessionToken?: string }) {
  if (input.sessionToken) await deleteSession(ctx.db, input.sessionToken);
}
