import { and, asc, eq, sql } from "drizzle-orm";
import { VISIBILITIES } from "../../db/columns.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { canSeePersonParticipation } from "../agenda/policy.ts";
import { canEditPerson, canManageMemberships } from "./policy.ts";
import { presentPerson } from "./present.ts";
import { memberships, organisations } from "./tables.ts";

// People whose request was refused or whose account was closed are not
// listed in the directory.
const listed = sql`${people.accountStatus} not in ('refused', 'disabled')`;

/** A person's directory profile and the organisations they act for. */
export async function getPersonProfile(ctx: Ctx, personId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(personId)) throw notFound();
  const [person] = await ctx.db.select().from(people)
    .where(and(eq(people.id, personId), listed));
  if (!person) throw notFound("Cette personne n'est pas dans l'annuaire.");

  return {
    person: presentPerson(ctx.actor, person),
    organisations: await findMembershipsOf(ctx, personId),
    canEdit: canEditPerson(ctx.actor, personId),
    canSeeParticipation: canSeePersonParticipation(ctx.actor, personId),
  };
}

async function findMembershipsOf(ctx: Ctx, personId: string) {
  return ctx.db.select({
    organisationId: organisations.id, name: organisations.name,
    slug: organisations.slug, role: memberships.role,
  }).from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.personId, personId))
    .orderBy(asc(organisations.nameKey));
}

/** The signed-in person's own profile, whole, for the edit form. */
export async function getMyProfile(ctx: Ctx) {
  const me = requirePerson(ctx.actor);
  const [person] = await ctx.db.select().from(people)
    .where(eq(people.id, me.id));
  if (!person) throw notFound();

  return { person, organisations: await findMembershipsOf(ctx, me.id) };
}

export interface ProfileInput {
  version: number;
  fullName: string;
  bio?: string;
  phone?: string | null;
  emailVisibility?: string;
  phoneVisibility?: string;
  /** Role text per organisation the person acts for. */
  roles?: Record<string, string>;
}

/**
 * Saves the signed-in person's profile and the role they hold in each of
 * their organisations, refusing an edit made on a stale version.
 */
export async function updateMyProfile(ctx: Ctx, input: ProfileInput) {
  const me = requirePerson(ctx.actor);
  if (!canEditPerson(me, me.id)) throw forbidden();
  const fields: Record<string, string> = {};
  const fullName = (input.fullName ?? "").trim();
  if (!fullName) fields.fullName = "Indiquez votre nom.";
  for (const key of ["emailVisibility", "phoneVisibility"] as const) {
    if (!(VISIBILITIES as readonly string[]).includes(input[key] ?? "allies")) {
      fields[key] = "Choisissez qui peut voir ce champ.";
    }
  }
  const roles = Object.entries(input.roles ?? {});
  if (roles.some(([, role]) => role.length > 200)) {
    fields.roles = "Un rôle est trop long.";
  }
  if (Object.keys(fields).length > 0) {
    throw invalid("Le formulaire contient des erreurs.", fields);
  }

  await ctx.db.transaction(async (tx) => {
    const [saved] = await tx.update(people).set({
      fullName,
      bio: (input.bio ?? "").trim(),
      phone: (input.phone ?? "").trim() || null,
      emailVisibility: input.emailVisibility ?? "allies",
      phoneVisibility: input.phoneVisibility ?? "allies",
      version: sql`${people.version} + 1`,
      updatedAt: ctx.now(),
    }).where(and(eq(people.id, me.id), eq(people.version, input.version)))
      .returning({ id: people.id });
    if (!saved) {
      throw conflict("Votre profil a été modifié ailleurs entre-temps. "
        + "Vos saisies sont conservées : enregistrez à nouveau.");
    }
    // Only memberships the person already holds: the where clause keeps
    // anyone from joining an organisation by posting its id.
    for (const [organisationId, role] of roles) {
      await tx.update(memberships).set({ role: role.trim() })
        .where(and(eq(memberships.personId, me.id),
          eq(memberships.organisationId, organisationId)));
    }
  });
}

/** Links a person, found by e-mail, to an organisation (staff only). */
export async function addMembership(ctx: Ctx, input: {
  organisationId: string; email: string; role?: string;
}) {
  if (!canManageMemberships(ctx.actor)) throw forbidden();
  const email = (input.email ?? "").trim().toLowerCase();
  if (!email) {
    throw invalid("Indiquez l'adresse de la personne.",
      { memberEmail: "Indiquez l'adresse de la personne." });
  }
  const [person] = await ctx.db.select({ id: people.id }).from(people)
    .where(sql`lower(${people.email}) = ${email}`);
  if (!person) {
    throw invalid("Aucune personne n'a cette adresse.",
      { memberEmail: "Aucune personne n'a cette adresse." });
  }

  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(memberships).values({ personId: person.id,
        organisationId: input.organisationId,
        role: (input.role ?? "").trim() });
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw invalid("Cette personne agit déjà pour la structure.",
        { memberEmail: "Cette personne agit déjà pour la structure." });
    }
    throw error;
  }
}

/** Unlinks a person from an organisation (staff only). */
export async function removeMembership(ctx: Ctx, input: {
  organisationId: string; personId: string;
}) {
  if (!canManageMemberships(ctx.actor)) throw forbidden();

  await ctx.db.transaction(async (tx) => {
    await tx.delete(memberships).where(and(
      eq(memberships.personId, input.personId),
      eq(memberships.organisationId, input.organisationId)));
  });
}
