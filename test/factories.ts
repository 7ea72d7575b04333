import crypto from "node:crypto";
import type { Db } from "../src/db/client.ts";
import type { Actor, PersonActor } from "../src/domain/context.ts";
import { hashPassword, randomToken } from "../src/features/accounts/secrets.ts";
import { people, type Role } from "../src/features/accounts/tables.ts";
import {
  memberships, organisations,
} from "../src/features/directory/tables.ts";
import { sql } from "drizzle-orm";
import type { InitiativeInput } from "../src/features/initiatives/initiatives.ts";
import { idList } from "../src/features/initiatives/sql.ts";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${
  crypto.randomBytes(2).toString("hex")}`;

export interface PersonOptions {
  fullName?: string;
  email?: string;
  role?: Role;
  password?: string;
  isFacilitator?: boolean;
  accountStatus?: typeof people.$inferInsert.accountStatus;
}

/** An active person (ally by default) who can sign in. */
export async function createPerson(db: Db, options: PersonOptions = {}) {
  const id = unique();
  const [person] = await db.insert(people).values({
    fullName: options.fullName ?? `Personne ${id}`,
    email: options.email ?? `personne-${id}@example.org`,
    role: options.role ?? "ally",
    accountStatus: options.accountStatus ?? "active",
    isFacilitator: options.isFacilitator ?? false,
    passwordHash: options.password ? await hashPassword(options.password)
      : null,
    calendarToken: randomToken(16),
  }).returning();

  return person;
}

/** The actor a use case sees for a person. */
export function actorOf(person: typeof people.$inferSelect): PersonActor {
  return {
    kind: "person",
    id: person.id,
    fullName: person.fullName,
    email: person.email ?? "",
    role: person.role,
    isFacilitator: person.isFacilitator,
  };
}

export const visitor: Actor = { kind: "visitor" };

export interface OrganisationOptions {
  name?: string;
  kind?: typeof organisations.$inferInsert.kind;
  themes?: string[];
  skills?: string[];
  city?: string;
  email?: string;
  /** Territories worked in; their ancestors are added to the scope. */
  territoryIds?: string[];
}

/** An organisation of the directory, working in the given territories. */
export async function createOrganisation(
  db: Db, options: OrganisationOptions = {},
) {
  const id = unique();
  const ids = options.territoryIds ?? [];
  const scope = ids.length ? (await db.execute(sql`select coalesce(
    array_agg(distinct a), '{}') as scope from territories,
    unnest(ancestors) a where id = any(${idList(ids)}::text[])`) as any)
    .rows[0].scope as string[] : [];
  const [organisation] = await db.insert(organisations).values({
    slug: `structure-${id}`,
    name: options.name ?? `Structure ${id}`,
    kind: options.kind ?? "association",
    themes: options.themes ?? [],
    skills: options.skills ?? [],
    city: options.city ?? null,
    email: options.email ?? null,
    territoryScope: scope,
  }).returning();

  return organisation;
}

/** Makes a person act for an organisation. */
export async function addMembership(
  db: Db, personId: string, organisationId: string,
) {
  await db.insert(memberships).values({ personId, organisationId });
}

/** A complete initiative form, to be adjusted by each test. */
export const initiativeInput = (
  carrierIds: string[], extra: Partial<InitiativeInput> = {},
): InitiativeInput => ({
  title: "Ateliers de sobriété énergétique",
  summary: "Des ateliers pour réduire la consommation des bâtiments publics.",
  description: "Nous animons des **ateliers** avec les services techniques.",
  carrierIds, territories: "commune-62528", themes: "énergie, sobriété",
  stage: "running", links: "Site | https://exemple.org/ateliers",
  offers: [{ kind: "method", text: "méthode d'audit énergétique partagé" }],
  needs: [{ kind: "training", text: "formation à la facilitation" }],
  ...extra,
});
