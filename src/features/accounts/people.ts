import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, notFound,
} from "../../domain/errors.ts";
import type { Db } from "../../db/client.ts";
import {
  canDemoteOrDisable, canManageAccounts, denied,
} from "./policy.ts";
import { deleteSessionsOf } from "./sessions.ts";
import {
  ACCOUNT_STATUSES, people, type AccountStatus, type Role,
} from "./tables.ts";
import { limitAttempt } from "./rate-limits.ts";
import { normalizeEmail, parseRole } from "./validation.ts";

/** A person as other features see them: never their secrets. */
export type Person = Omit<typeof people.$inferSelect,
  "passwordHash" | "calendarToken">;

const { passwordHash: _hash, calendarToken: _feed, ...columns } =
  getTableColumns(people);
/** The columns of `Person`, for selects. */
export const personColumns = columns;

/** One person by id, or `notFound()`. */
export async function getPerson(ctx: Ctx, id: string): Promise<Person> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound();
  const [person] = await ctx.db.select(personColumns).from(people)
    .where(eq(people.id, id));
  if (!person) throw notFound();

  return person;
}

/** The person holding an address, whatever its case. */
export async function findPersonByEmail(db: Db, email: string) {
  const [person] = await db.select().from(people)
    .where(sql`lower(${people.email}) = ${email.toLowerCase()}`);

  return person;
}

/**
 * The active account an e-mailed link (sign-in, password reset) may go to.
 * Checks the address and counts the request first, so that asking about
 * an unknown address costs the same as about a known one.
 */
export async function findAccountForMailedLink(ctx: Ctx, input: {
  email: string; ip: string;
}) {
  const email = normalizeEmail(input.email);
  if (!email) {
    throw invalid("Indiquez votre adresse e-mail.",
      { email: "Indiquez votre adresse e-mail." });
  }
  await limitAttempt(ctx.db, "mail", email, input.ip, ctx.now());
  const person = await findPersonByEmail(ctx.db, email);

  return person?.accountStatus === "active" ? person : undefined;
}

/** People with an account or a request, for staff; by status if given. */
export async function findAccounts(
  ctx: Ctx, input: { status?: string } = {},
): Promise<Person[]> {
  if (!canManageAccounts(ctx.actor)) throw denied(ctx.actor);
  const status = ACCOUNT_STATUSES.includes(input.status as AccountStatus)
    ? input.status as AccountStatus : undefined;

  return ctx.db.select(personColumns).from(people)
    .where(status ? eq(people.accountStatus, status)
      : sql`${people.accountStatus} <> 'none'`)
    .orderBy(asc(people.fullName));
}

/**
 * Locks the active staff, so that two staff members demoting or disabling
 * each other at the same moment cannot leave the alliance without any.
 */
async function lockActiveStaff(db: Db) {
  await db.select({ id: people.id }).from(people).where(and(
    eq(people.role, "staff"), eq(people.accountStatus, "active"),
  )).for("update");
}

async function ensureStaffRemains(db: Db) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` })
    .from(people).where(and(
      eq(people.role, "staff"), eq(people.accountStatus, "active")));
  if (row.n < 1) {
    throw conflict("L'équipe doit garder au moins un compte actif.");
  }
}

/** Staff change a person's role and facilitator flag. */
export async function updateAccountRole(ctx: Ctx, input: {
  personId: string; role: string; isFacilitator: boolean;
}): Promise<void> {
  if (!canManageAccounts(ctx.actor)) throw denied(ctx.actor);
  const role: Role = parseRole(input.role);
  if (role !== "staff" && !canDemoteOrDisable(ctx.actor, input.personId)) {
    throw invalid("Vous ne pouvez pas retirer votre propre rôle d'équipe.",
      { role: "Un autre membre de l'équipe doit le faire." });
  }
  await getPerson(ctx, input.personId);

  await ctx.db.transaction(async (tx) => {
    await lockActiveStaff(tx);
    await tx.update(people).set({
      role, isFacilitator: input.isFacilitator, updatedAt: ctx.now(),
      version: sql`${people.version} + 1`,
    }).where(eq(people.id, input.personId));
    await ensureStaffRemains(tx);
  });
}

/**
 * Disables an account (its sessions end at once) or enables it again.
 * Only active accounts are disabled, only disabled ones enabled.
 */
export async function setAccountDisabled(ctx: Ctx, input: {
  personId: string; disabled: boolean;
}): Promise<void> {
  if (!canManageAccounts(ctx.actor)) throw denied(ctx.actor);
  if (input.disabled && !canDemoteOrDisable(ctx.actor, input.personId)) {
    throw forbidden("Vous ne pouvez pas désactiver votre propre compte.");
  }
  await getPerson(ctx, input.personId);
  const from: AccountStatus = input.disabled ? "active" : "disabled";
  const to: AccountStatus = input.disabled ? "disabled" : "active";

  await ctx.db.transaction(async (tx) => {
    await lockActiveStaff(tx);
    const changed = await tx.update(people)
      .set({ accountStatus: to, updatedAt: ctx.now() })
      .where(and(eq(people.id, input.personId),
        eq(people.accountStatus, from)))
      .returning({ id: people.id });
    if (changed.length === 0) {
      throw conflict(input.disabled ? "Ce compte n'est pas actif."
        : "Ce compte n'est pas désactivé.");
    }
    await ensureStaffRemains(tx);
    if (input.disabled) await deleteSessionsOf(tx, input.personId);
  });
}
