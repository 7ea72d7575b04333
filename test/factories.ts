import crypto from "node:crypto";
import type { Db } from "../src/db/client.ts";
import type { Actor, PersonActor } from "../src/domain/context.ts";
import { hashPassword, randomToken } from "../src/features/accounts/secrets.ts";
import { people, type Role } from "../src/features/accounts/tables.ts";
import {
  saveOrganisationTerritories,
} from "../src/features/directory/organisations.ts";
import {
  memberships, organisations, type OrganisationKind,
} from "../src/features/directory/tables.ts";
import {
  initiativeCarriers, initiatives, type InitiativeStatus,
} from "../src/features/initiatives/tables.ts";
import type {
  InitiativeInput,
} from "../src/features/initiatives/initiative-input.ts";
import {
  documentOrganisations, documents,
} from "../src/features/documents/tables.ts";
import {
  experienceSheets, sheetOrganisations,
} from "../src/features/sheets/tables.ts";

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

/**
 * An organisation in the directory, written straight to the database
 * (territory scope included) so tests need not go through the use case.
 */
export async function createOrganisationRow(
  db: Db, values: Partial<typeof organisations.$inferInsert> & {
    territoryIds?: string[]; members?: { personId: string; role?: string }[];
  } = {},
) {
  const id = unique();
  const { territoryIds = [], members = [], ...columns } = values;
  const [org] = await db.insert(organisations).values({
    name: `Structure ${id}`, slug: `structure-${id}`, ...columns,
  }).returning();
  await saveOrganisationTerritories(db, org.id, territoryIds);
  for (const member of members) {
    await db.insert(memberships).values({ organisationId: org.id,
      personId: member.personId, role: member.role ?? "" });
  }

  return org;
}

export interface OrganisationOptions {
  name?: string;
  kind?: OrganisationKind;
  themes?: string[];
  skills?: string[];
  city?: string;
  email?: string;
  /** Territories worked in; their ancestors are added to the scope. */
  territoryIds?: string[];
}

/** An organisation of the directory (an association unless told). */
export async function createOrganisation(
  db: Db, options: OrganisationOptions = {},
) {
  const given = Object.fromEntries(Object.entries(options)
    .filter(([, value]) => value !== undefined));

  return createOrganisationRow(db, { kind: "association", ...given });
}

/** The person acts for the organisation. */
export async function addMembership(
  db: Db, personId: string, organisationId: string, role = "",
) {
  await db.insert(memberships).values({ personId, organisationId, role });
}

/** An initiative (published by default) carried by the organisations. */
export async function createInitiative(db: Db, options: {
  title?: string; status?: InitiativeStatus; carriers?: string[];
  contactPersonId?: string;
} = {}) {
  const id = unique();
  const status = options.status ?? "published";
  const [initiative] = await db.insert(initiatives).values({
    slug: `initiative-${id}`,
    title: options.title ?? `Initiative ${id}`,
    summary: "Une initiative pour les tests.",
    status,
    contactPersonId: options.contactPersonId ?? null,
    publishedAt: status === "published" ? new Date() : null,
  }).returning();
  for (const organisationId of options.carriers ?? []) {
    await db.insert(initiativeCarriers)
      .values({ initiativeId: initiative.id, organisationId });
  }

  return initiative;
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

/**
 * An experience sheet written straight to the database (published by
 * default), with the organisations its authors wrote for.
 */
export async function createSheetRow(db: Db, values:
  Partial<typeof experienceSheets.$inferInsert> & {
    organisationIds?: string[];
  } = {}) {
  const id = unique();
  const { organisationIds = [], ...columns } = values;
  const status = columns.status ?? "published";
  const [sheet] = await db.insert(experienceSheets).values({
    slug: `fiche-${id}`, title: `Fiche ${id}`, status,
    publishedAt: status === "published" ? new Date() : null,
    ...columns,
  }).returning();
  for (const organisationId of organisationIds) {
    await db.insert(sheetOrganisations)
      .values({ sheetId: sheet.id, organisationId });
  }

  return sheet;
}

/**
 * A document of the base written straight to the database (published by
 * default, without file), with its organisations.
 */
export async function createDocumentRow(db: Db, values:
  Partial<typeof documents.$inferInsert> & {
    organisationIds?: string[];
  } = {}) {
  const id = unique();
  const { organisationIds = [], ...columns } = values;
  const status = columns.status ?? "published";
  const [doc] = await db.insert(documents).values({
    slug: `document-${id}`, title: `Document ${id}`, kind: "study",
    summary: "Un document pour les tests.", status,
    publishedAt: status === "published" ? new Date() : null,
    ...columns,
  }).returning();
  for (const organisationId of organisationIds) {
    await db.insert(documentOrganisations)
      .values({ documentId: doc.id, organisationId });
  }

  return doc;
}
