import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, notFound,
} from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { recordAudit } from "../audit/audit.ts";
import { canManageCollectives } from "./policy.ts";
import {
  labellingCollectiveMembers as members, labellingCollectives as collectives,
} from "./tables.ts";

export type Collective = typeof collectives.$inferSelect;

export interface CollectiveInput {
  name: string;
  startsOn: string;
  endsOn: string;
  quorumKind: string;
  quorumValue: string;
  majority: string;
  /** E-mail addresses of the members, one per line or separated. */
  memberEmails: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Quorum rules with French messages; shared by creation and removal. */
function quorumFits(kind: string, value: number, size: number) {
  if (size === 0) return "Un collectif compte au moins un membre.";
  if (kind === "count" && value > size) {
    return `Le quorum (${value} membres) dépasse la taille du collectif `
      + `(${size} membre${size > 1 ? "s" : ""}).`;
  }

  return null;
}

/**
 * Names a collective for a period with its members and voting rules. Every
 * address must be that of a person with an active account; the quorum must
 * be reachable by the members named.
 */
export async function createCollective(ctx: Ctx, input: CollectiveInput) {
  if (!canManageCollectives(ctx.actor)) throw forbidden();
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (!name) fields.name = "Indiquez le nom du collectif.";
  if (!DAY.test(input.startsOn)) fields.startsOn = "Indiquez la date de début.";
  if (!DAY.test(input.endsOn)) fields.endsOn = "Indiquez la date de fin.";
  if (!fields.startsOn && !fields.endsOn && input.endsOn < input.startsOn) {
    fields.endsOn = "La fin de la période précède son début.";
  }
  const quorumValue = Number(input.quorumValue);
  if (!["share", "count"].includes(input.quorumKind)) {
    fields.quorumKind = "Choisissez un quorum en part ou en nombre.";
  } else if (!Number.isInteger(quorumValue) || quorumValue < 1
    || (input.quorumKind === "share" && quorumValue > 100)) {
    fields.quorumValue = input.quorumKind === "share"
      ? "Un quorum en part est un pourcentage entre 1 et 100."
      : "Un quorum en nombre est un entier d'au moins 1.";
  }
  if (!["simple", "two_thirds"].includes(input.majority)) {
    fields.majority = "Choisissez la majorité.";
  }
  const emails = [...new Set(input.memberEmails.split(/[\s,;]+/)
    .map((e) => e.trim().toLowerCase()).filter(Boolean))];
  const found = emails.length ? await ctx.db.select({ id: people.id,
    email: sql<string>`lower(${people.email})` }).from(people).where(and(
    inArray(sql`lower(${people.email})`, emails),
    eq(people.accountStatus, "active"))) : [];
  const unknown = emails.filter((e) => !found.some((f) => f.email === e));
  if (unknown.length) {
    fields.memberEmails = `Aucun compte actif pour : ${unknown.join(", ")}.`;
  } else if (!fields.quorumValue && !fields.quorumKind) {
    const problem = quorumFits(input.quorumKind, quorumValue, found.length);
    if (problem) fields[found.length ? "quorumValue" : "memberEmails"] = problem;
  }
  if (Object.keys(fields).length) {
    throw invalid("Le collectif n'a pas pu être enregistré.", fields);
  }

  return ctx.db.transaction(async (tx) => {
    const [collective] = await tx.insert(collectives).values({
      name, startsOn: input.startsOn, endsOn: input.endsOn,
      quorumKind: input.quorumKind as "share" | "count", quorumValue,
      majority: input.majority as "simple" | "two_thirds",
    }).returning();
    await tx.insert(members).values(found.map((f) => ({
      collectiveId: collective.id, personId: f.id, addedAt: ctx.now() })));
    await recordAudit(tx, ctx.actor, { action: "collective.named",
      subjectKind: "collective", subjectId: collective.id,
      details: { name, members: found.map((f) => f.id),
        quorum: `${input.quorumKind}:${quorumValue}`,
        majority: input.majority } }, ctx.now());

    return collective;
  });
}

/** Adds one member by e-mail, or brings back one who was removed. */
export async function addCollectiveMember(
  ctx: Ctx, input: { collectiveId: string; email: string },
) {
  if (!canManageCollectives(ctx.actor)) throw forbidden();
  const email = input.email.trim().toLowerCase();
  const [person] = email ? await ctx.db.select({ id: people.id })
    .from(people).where(and(eq(sql`lower(${people.email})`, email),
      eq(people.accountStatus, "active"))) : [];
  if (!person) {
    throw invalid("Aucun compte actif pour cette adresse.",
      { email: "Aucun compte actif pour cette adresse." });
  }

  await ctx.db.transaction(async (tx) => {
    await getCollectiveIn(tx, input.collectiveId);
    await tx.insert(members).values({ collectiveId: input.collectiveId,
      personId: person.id, addedAt: ctx.now() })
      .onConflictDoUpdate({ target: [members.collectiveId, members.personId],
        set: { removedAt: null } });
    await recordAudit(tx, ctx.actor, { action: "collective.member_added",
      subjectKind: "collective", subjectId: input.collectiveId,
      details: { personId: person.id } }, ctx.now());
  });
}

/**
 * Removes a member from now on. Refused when the collective would be left
 * empty or below its quorum; the row stays so past votes keep their voter.
 */
export async function removeCollectiveMember(
  ctx: Ctx, input: { collectiveId: string; personId: string },
) {
  if (!canManageCollectives(ctx.actor)) throw forbidden();

  await ctx.db.transaction(async (tx) => {
    // Locking the collective keeps two removals from both passing the
    // quorum check.
    const collective = await getCollectiveIn(tx, input.collectiveId, true);
    const current = await tx.select({ personId: members.personId })
      .from(members).where(and(eq(members.collectiveId, collective.id),
        isNull(members.removedAt)));
    if (!current.some((m) => m.personId === input.personId)) {
      throw conflict("Cette personne n'est pas membre du collectif.");
    }
    const problem = quorumFits(collective.quorumKind,
      collective.quorumValue, current.length - 1);
    if (problem) throw invalid(problem);
    await tx.update(members).set({ removedAt: ctx.now() }).where(and(
      eq(members.collectiveId, collective.id),
      eq(members.personId, input.personId)));
    await recordAudit(tx, ctx.actor, { action: "collective.member_removed",
      subjectKind: "collective", subjectId: collective.id,
      details: { personId: input.personId } }, ctx.now());
  });
}

async function getCollectiveIn(db: Ctx["db"], id: string, lock = false) {
  const select = db.select().from(collectives).where(eq(collectives.id, id));
  const [collective] = lock ? await select.for("update") : await select;
  if (!collective) throw notFound("Ce collectif n'existe pas.");

  return collective;
}

export interface CollectiveWithMembers extends Collective {
  members: { personId: string; fullName: string; email: string | null }[];
}

/** Collectives with their current members, for staff. */
export async function findCollectives(
  ctx: Ctx,
): Promise<CollectiveWithMembers[]> {
  if (!canManageCollectives(ctx.actor)) throw forbidden();
  const list = await ctx.db.select().from(collectives)
    .orderBy(sql`${collectives.startsOn} desc`, asc(collectives.name));
  const rows = await ctx.db.select({
    collectiveId: members.collectiveId, personId: members.personId,
    fullName: people.fullName, email: people.email,
  }).from(members).innerJoin(people, eq(people.id, members.personId))
    .where(isNull(members.removedAt)).orderBy(asc(people.fullName));

  return list.map((c) => ({ ...c, members: rows
    .filter((r) => r.collectiveId === c.id)
    .map(({ collectiveId: _, ...m }) => m) }));
}
