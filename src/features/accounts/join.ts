import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, invalid, isPgError, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import {
  invitationMail, joinRefusedMail, joinRequestedMail,
} from "./mails.ts";
import { setPasswordAndSignIn } from "./passwords.ts";
import {
  findPersonByEmail, getPerson, personColumns, type Person,
} from "./people.ts";
import { canManageAccounts, denied } from "./policy.ts";
import { limitAttempt } from "./rate-limits.ts";
import { hashPassword, randomToken } from "./secrets.ts";
import type { SignedIn } from "./sign-in.ts";
import { people, type AccountStatus, type Role } from "./tables.ts";
import { consumeToken, issueToken, peekToken } from "./tokens.ts";
import {
  emailError, nameError, newPasswordErrors, normalizeEmail, parseRole,
  throwIfErrors,
} from "./validation.ts";

const ADDRESS_TAKEN = "Une demande ou un compte existe déjà pour cette "
  + "adresse. Si c'est la vôtre, connectez-vous ou choisissez « mot de passe "
  + "oublié » ; sinon, écrivez à l'équipe.";

/** Tells every active staff member, in the transaction of the request. */
async function notifyStaff(
  db: Db, mail: { subject: string; text: string },
) {
  const staff = await db.select({ email: people.email }).from(people)
    .where(and(eq(people.role, "staff"), eq(people.accountStatus, "active")));
  for (const { email } of staff) {
    if (email) await enqueueMail(db, { to: email, ...mail });
  }
}

/**
 * Anyone asks to join the alliance. The unique index on the address is
 * what refuses a second request, even two sent at the same moment.
 */
export async function requestToJoin(ctx: Ctx, input: {
  fullName: string; email: string; organisation: string; message: string;
  ip: string;
}): Promise<void> {
  const fullName = input.fullName.trim();
  const email = normalizeEmail(input.email);
  const organisation = input.organisation.trim().slice(0, 300);
  const message = input.message.trim().slice(0, 5000);
  throwIfErrors({ fullName: nameError(fullName), email: emailError(email) });
  await limitAttempt(ctx.db, "mail", email, input.ip, ctx.now());

  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(people).values({
        fullName, email, accountStatus: "requested",
        joinOrganisation: organisation, joinMessage: message,
        calendarToken: randomToken(16),
      });
      await notifyStaff(tx, joinRequestedMail(ctx.config,
        { fullName, email, organisation, message }));
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw invalid(ADDRESS_TAKEN, { email: ADDRESS_TAKEN });
    }
    throw error;
  }
}

/** Requests waiting for staff, oldest first. */
export async function findJoinRequests(ctx: Ctx): Promise<Person[]> {
  if (!canManageAccounts(ctx.actor)) throw denied(ctx.actor);
  return ctx.db.select(personColumns).from(people)
    .where(eq(people.accountStatus, "requested"))
    .orderBy(asc(people.createdAt));
}

/** Moves a person from one status to another, or says it already moved. */
async function moveStatus(
  db: Db, personId: string, from: AccountStatus[], to: AccountStatus,
  now: Date, role?: Role,
) {
  const [person] = await db.update(people)
    .set({ accountStatus: to, updatedAt: now, ...(role && { role }) })
    .where(and(eq(people.id, personId),
      inArray(people.accountStatus, from)))
    .returning(personColumns);
  if (!person) throw conflict("Cette demande a déjà été traitée.");

  return person;
}

/** Staff accept a request: the person is invited to choose a password. */
export async function acceptJoinRequest(ctx: Ctx, input: {
  personId: string;
}): Promise<Person> {
  if (!canManageAccounts(ctx.actor)) throw denied(ctx.actor);
  await getPerson(ctx, input.personId);

  return ctx.db.transaction(async (tx) => {
    const person = await moveStatus(tx, input.personId, ["requested"],
      "invited", ctx.now());
    const token = await issueToken(tx, "invitation", person.id, ctx.now());
    await enqueueMail(tx, { to: person.email!,
      ...invitationMail(ctx.config, person.fullName, token) });

    return person;
  });
}

/** Staff refuse a request; the person is told by mail. */
export async function refuseJoinRequest(ctx: Ctx, input: {
  personId: string;
}): Promise<Person> {
  if (!canManageAccounts(ctx.actor)) throw denied(ctx.actor);
  await getPerson(ctx, input.personId);

  return ctx.db.transaction(async (tx) => {
    const person = await moveStatus(tx, input.personId, ["requested"],
      "refused", ctx.now());
    await enqueueMail(tx, { to: person.email!,
      ...joinRefusedMail(ctx.config, person.fullName) });

    return person;
  });
}

/**
 * Writes an invited (or, from the command line, active) account and
 * returns the link where its holder chooses a password. A directory entry
 * or an earlier request with the same address becomes that account.
 */
async function writeInvitedAccount(ctx: Ctx, input: {
  fullName: string; email: string; role: string;
}, status: "invited" | "active"): Promise<{ person: Person; url: string }> {
  const role = parseRole(input.role);
  const fullName = input.fullName.trim();
  const email = normalizeEmail(input.email);
  throwIfErrors({ fullName: nameError(fullName), email: emailError(email) });

  try {
    return await ctx.db.transaction(async (tx) => {
      const existing = await findPersonByEmail(tx, email);
      if (existing && ["active", "disabled"].includes(existing.accountStatus)) {
        throw invalid("Un compte existe déjà pour cette adresse.",
          { email: "Un compte existe déjà pour cette adresse." });
      }
      const values = { fullName, email, role, accountStatus: status,
        updatedAt: ctx.now() };
      const [person] = existing
        ? await tx.update(people).set(values)
          .where(eq(people.id, existing.id)).returning()
        : await tx.insert(people)
          .values({ ...values, calendarToken: randomToken(16) }).returning();
      const token = await issueToken(tx, "invitation", person.id, ctx.now());
      const mail = invitationMail(ctx.config, fullName, token);
      if (status === "invited") {
        await enqueueMail(tx, { to: email, ...mail });
      }
      const { passwordHash: _h, calendarToken: _c, ...shown } = person;

      return { person: shown, url: `${ctx.config.baseUrl}/invitation/${token}` };
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw invalid("Un compte existe déjà pour cette adresse.",
        { email: "Un compte existe déjà pour cette adresse." });
    }
    throw error;
  }
}

/** Staff invite someone by mail, as an ally or as staff. */
export async function invitePerson(ctx: Ctx, input: {
  fullName: string; email: string; role: string;
}): Promise<Person> {
  if (!canManageAccounts(ctx.actor)) throw denied(ctx.actor);

  return (await writeInvitedAccount(ctx, input, "invited")).person;
}

/**
 * An operator creates an active account from the command line; the link
 * to choose its password is returned to be handed over, not mailed.
 */
export async function createAccount(ctx: Ctx, input: {
  fullName?: string; email: string; role: string;
}): Promise<{ person: Person; url: string }> {
  if (!canManageAccounts(ctx.actor)) throw denied(ctx.actor);
  const email = normalizeEmail(input.email);
  const fullName = input.fullName?.trim() || email.split("@")[0];

  return writeInvitedAccount(ctx, { ...input, email, fullName }, "active");
}

const INVITATION_USED = "Cette invitation n'est plus valable : elle a déjà "
  + "servi ou a expiré. Demandez-en une nouvelle à l'équipe.";

/** The invited person behind a link still valid, for the GET page. */
export async function getInvitation(ctx: Ctx, input: { token: string }) {
  const link = await peekToken(ctx.db, input.token, "invitation", ctx.now());
  if (!link?.personId) throw invalid(INVITATION_USED);
  const person = await getPerson(ctx, link.personId);
  if (!["invited", "active"].includes(person.accountStatus)) {
    throw invalid(INVITATION_USED);
  }

  return person;
}

/** The invited person chooses a password; the account becomes active. */
export async function acceptInvitation(ctx: Ctx, input: {
  token: string; password: string; confirmation: string;
}): Promise<SignedIn> {
  await getInvitation(ctx, input);
  throwIfErrors(newPasswordErrors(input.password, input.confirmation));
  const hash = await hashPassword(input.password);

  return ctx.db.transaction(async (tx) => {
    const link = await consumeToken(tx, input.token, "invitation", ctx.now());
    if (!link?.personId) throw invalid(INVITATION_USED);
    const [person] = await tx.select().from(people)
      .where(eq(people.id, link.personId));
    if (!["invited", "active"].includes(person?.accountStatus ?? "")) {
      throw invalid(INVITATION_USED);
    }

    return setPasswordAndSignIn(tx, person.id, hash, ctx.now(), "active");
  });
}
