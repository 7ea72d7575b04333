import {
  and, asc, eq, getTableColumns, or, sql, type SQL,
} from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { VISIBILITIES, type Visibility } from "../../db/columns.ts";
import { VersionedCache } from "../../db/versions.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, FOREIGN_KEY_VIOLATION, invalid, isPgError, notFound,
  pgConstraint, unauthenticated, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import {
  findTerritoriesByIds, fold, type TerritorySummary,
} from "../territories/search.ts";
import { canSeeOrganisationParticipation } from "../agenda/policy.ts";
import {
  canCreateOrganisation, canEditOrganisation, canEditStaffFields,
} from "./policy.ts";
import {
  presentOrganisation, presentPerson, type PresentedOrganisation,
} from "./present.ts";
import {
  memberships, ORGANISATION_KINDS, organisations, organisationTerritories,
  type OrganisationKind,
} from "./tables.ts";

export type OrganisationRow = typeof organisations.$inferSelect;

/** What a form, the API or an import gives to describe an organisation. */
export interface OrganisationInput {
  name: string;
  kind?: string | null;
  description?: string;
  themes?: string[];
  skills?: string[];
  website?: string | null;
  address?: string | null;
  postalCode?: string | null;
  city?: string | null;
  communeId?: string | null;
  territoryIds?: string[];
  charterSignatory?: boolean;
  /** "2020-02-12" */
  charterSignedOn?: string | null;
  email?: string | null;
  phone?: string | null;
  emailVisibility?: string;
  phoneVisibility?: string;
  addressVisibility?: string;
  staffNotes?: string;
}

const blank = (v: string | null | undefined) => {
  const s = (v ?? "").trim();
  return s === "" ? null : s;
};

const cleanList = (items: string[] | undefined) =>
  [...new Set((items ?? []).map((s) => s.trim()).filter(Boolean))];

/** Checks an input and returns the columns to write, or throws invalid. */
export function validateOrganisation(input: OrganisationInput) {
  const fields: Record<string, string> = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Indiquez le nom de la structure.";
  else if (name.length > 200) fields.name = "Le nom est trop long.";
  const kind = blank(input.kind);
  if (kind && !(ORGANISATION_KINDS as readonly string[]).includes(kind)) {
    fields.kind = "Choisissez un type de structure de la liste.";
  }
  const email = blank(input.email);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    fields.email = "L'adresse électronique n'est pas valide.";
  }
  let website = blank(input.website);
  if (website && !/^https?:\/\//i.test(website)) website = `https://${website}`;
  if (website && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(website)) {
    fields.website = "L'adresse du site n'est pas valide.";
  }
  const postalCode = blank(input.postalCode);
  if (postalCode && !/^\d[0-9AB]\d{3}$/.test(postalCode)) {
    fields.postalCode = "Le code postal compte cinq chiffres.";
  }
  const signedOn = blank(input.charterSignedOn);
  if (signedOn && (!/^\d{4}-\d{2}-\d{2}$/.test(signedOn)
    || Number.isNaN(Date.parse(signedOn)))) {
    fields.charterSignedOn = "La date de signature n'est pas valide.";
  }
  const visibility = (key: "emailVisibility" | "phoneVisibility"
    | "addressVisibility", fallback: Visibility) => {
    const v = input[key] ?? fallback;
    if (!(VISIBILITIES as readonly string[]).includes(v)) {
      fields[key] = "Choisissez qui peut voir ce champ.";
    }
    return v as Visibility;
  };
  const values = {
    name,
    kind: kind as OrganisationKind | null,
    description: (input.description ?? "").trim(),
    themes: cleanList(input.themes),
    skills: cleanList(input.skills),
    website,
    address: blank(input.address),
    postalCode,
    city: blank(input.city),
    communeId: blank(input.communeId),
    charterSignatory: Boolean(input.charterSignatory || signedOn),
    charterSignedOn: signedOn,
    email,
    phone: blank(input.phone),
    emailVisibility: visibility("emailVisibility", "allies"),
    phoneVisibility: visibility("phoneVisibility", "allies"),
    addressVisibility: visibility("addressVisibility", "public"),
    staffNotes: (input.staffNotes ?? "").trim(),
  };
  if (Object.keys(fields).length > 0) {
    throw invalid("Le formulaire contient des erreurs.", fields);
  }

  return { values, territoryIds: cleanList(input.territoryIds) };
}

/** "Commune de Loos-en-Gohelle" → "commune-de-loos-en-gohelle". */
export const slugify = (name: string) =>
  fold(name).replace(/ /g, "-").slice(0, 80) || "structure";

/** The organisation's slug, numbered after namesakes'. */
export async function freeSlug(db: Db, name: string): Promise<string> {
  let base = slugify(name);
  // These words are pages of the directory, not organisations.
  if (["nouvelle", "export"].includes(base)) base = `${base}-structure`;
  const taken = new Set((await db.select({ slug: organisations.slug })
    .from(organisations).where(or(eq(organisations.slug, base),
      sql`${organisations.slug} like ${`${base}-%`}`))).map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;

  return slug;
}

/**
 * Records the territories an organisation works in and refreshes its
 * territory scope: every one of them, its commune, and all that contain
 * them. Runs in the caller's transaction so the two never disagree.
 */
export async function saveOrganisationTerritories(
  tx: Db, organisationId: string, territoryIds: string[],
) {
  await tx.delete(organisationTerritories)
    .where(eq(organisationTerritories.organisationId, organisationId));
  if (territoryIds.length > 0) {
    await tx.insert(organisationTerritories).values(territoryIds.map(
      (territoryId) => ({ organisationId, territoryId })));
  }
  await refreshTerritoryScope(tx, organisationId);
}

export async function refreshTerritoryScope(tx: Db, organisationId: string) {
  await tx.execute(sql`update organisations o set territory_scope =
    coalesce((select array_agg(distinct a order by a)
      from territories t cross join unnest(t.ancestors) a
      where t.id = o.commune_id or t.id in (
        select territory_id from organisation_territories ot
        where ot.organisation_id = o.id)), '{}')
    where o.id = ${organisationId}`);
}

function databaseError(error: unknown): never {
  if (isPgError(error, UNIQUE_VIOLATION)
    && pgConstraint(error) !== "organisations_slug_key") {
    throw invalid("Une structure de ce nom existe déjà dans cette ville.",
      { name: "Une structure de ce nom existe déjà dans cette ville." });
  }
  if (isPgError(error, FOREIGN_KEY_VIOLATION)) {
    throw invalid("Un territoire indiqué est inconnu.",
      { territories: "Un territoire indiqué est inconnu." });
  }
  throw error;
}

/** Creates an organisation in the directory (staff only). */
export async function createOrganisation(
  ctx: Ctx, input: OrganisationInput,
): Promise<OrganisationRow> {
  if (!canCreateOrganisation(ctx.actor)) throw forbidden();
  const { values, territoryIds } = validateOrganisation(input);

  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.transaction(async (tx) => {
        const slug = await freeSlug(tx, values.name);
        const [org] = await tx.insert(organisations)
          .values({ ...values, slug }).returning();
        await saveOrganisationTerritories(tx, org.id, territoryIds);

        return (await getRow(tx, org.id))!;
      });
    } catch (error) {
      // Two creations of namesakes at once: the second takes the next slug.
      if (attempt < 2 && pgConstraint(error) === "organisations_slug_key") {
        continue;
      }
      databaseError(error);
    }
  }
}

const getRow = async (db: Db, id: string) =>
  (await db.select().from(organisations).where(eq(organisations.id, id)))[0];

export async function isMemberOf(
  db: Db, personId: string, organisationId: string,
): Promise<boolean> {
  const rows = await db.select({ one: sql`1` }).from(memberships)
    .where(and(eq(memberships.personId, personId),
      eq(memberships.organisationId, organisationId)));

  return rows.length > 0;
}

async function requireEditable(ctx: Ctx, org: OrganisationRow) {
  // A visitor is asked to sign in: they may be an ally of this one.
  if (ctx.actor.kind !== "person") throw unauthenticated();
  const member = ctx.actor.kind === "person"
    && await isMemberOf(ctx.db, ctx.actor.id, org.id);
  if (!canEditOrganisation(ctx.actor, member)) throw forbidden();
}

export const CONCURRENT_EDIT = "Quelqu'un d'autre a modifié cette structure "
  + "pendant que vous la modifiiez. Vos saisies sont conservées ci-dessous : "
  + "vérifiez-les puis enregistrez à nouveau pour remplacer l'autre version.";

/**
 * Saves an edited organisation if nobody changed it since `version` was
 * read; otherwise refuses with a conflict, so no one's edit is lost
 * silently. Allies keep the charter facts and notes recorded by staff.
 */
export async function updateOrganisation(
  ctx: Ctx, input: OrganisationInput & { id: string; version: number },
): Promise<OrganisationRow> {
  const current = await getRow(ctx.db, input.id);
  if (!current) throw notFound();
  await requireEditable(ctx, current);
  const { values, territoryIds } = validateOrganisation(input);
  if (!canEditStaffFields(ctx.actor)) {
    values.charterSignatory = current.charterSignatory;
    values.charterSignedOn = current.charterSignedOn;
    values.staffNotes = current.staffNotes;
  }

  try {
    return await ctx.db.transaction(async (tx) => {
      const [saved] = await tx.update(organisations).set({
        ...values,
        version: sql`${organisations.version} + 1`,
        updatedAt: ctx.now(),
      }).where(and(eq(organisations.id, input.id),
        eq(organisations.version, input.version))).returning();
      if (!saved) throw conflict(CONCURRENT_EDIT);
      await saveOrganisationTerritories(tx, saved.id, territoryIds);

      return (await getRow(tx, saved.id))!;
    });
  } catch (error) {
    databaseError(error);
  }
}

export interface OrganisationPage {
  organisation: PresentedOrganisation;
  people: (ReturnType<typeof presentPerson> & { role: string })[];
  commune: TerritorySummary | null;
  territories: TerritorySummary[];
  canEdit: boolean;
  canSeeParticipation: boolean;
}

/** An organisation's profile as the actor may see it, with its people. */
export async function getOrganisation(
  ctx: Ctx, slug: string,
): Promise<OrganisationPage> {
  const [org] = await ctx.db.select().from(organisations)
    .where(eq(organisations.slug, slug));
  if (!org) throw notFound("Cette structure n'est pas dans l'annuaire.");

  const members = await ctx.db.select({
    person: people, role: memberships.role,
  }).from(memberships).innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(memberships.organisationId, org.id))
    .orderBy(asc(people.fullName));
  const territoryIds = await organisationTerritoryIds(ctx.db, org.id);
  const [commune] = org.communeId
    ? await findTerritoriesByIds(ctx.db, [org.communeId]) : [];
  const member = members.some((m) => ctx.actor.kind === "person"
    && m.person.id === ctx.actor.id);

  return {
    organisation: presentOrganisation(ctx.actor, org),
    people: members.map((m) => ({
      ...presentPerson(ctx.actor, m.person), role: m.role })),
    commune: commune ?? null,
    territories: await findTerritoriesByIds(ctx.db, territoryIds),
    canEdit: canEditOrganisation(ctx.actor, member),
    canSeeParticipation: canSeeOrganisationParticipation(ctx.actor,
      members.map((m) => m.person.id)),
  };
}

async function organisationTerritoryIds(db: Db, id: string) {
  const rows = await db.select({ id: organisationTerritories.territoryId })
    .from(organisationTerritories)
    .where(eq(organisationTerritories.organisationId, id));

  return rows.map((r) => r.id).sort();
}

/** Everything the edit form needs, for those who may edit. */
export async function getOrganisationForEdit(ctx: Ctx, slug: string) {
  const [org] = await ctx.db.select().from(organisations)
    .where(eq(organisations.slug, slug));
  if (!org) throw notFound("Cette structure n'est pas dans l'annuaire.");
  await requireEditable(ctx, org);
  const territoryIds = await organisationTerritoryIds(ctx.db, org.id);
  const members = await ctx.db.select({
    id: people.id, fullName: people.fullName, role: memberships.role,
  }).from(memberships).innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(memberships.organisationId, org.id))
    .orderBy(asc(people.fullName));

  return {
    organisation: org,
    commune: org.communeId
      ? (await findTerritoriesByIds(ctx.db, [org.communeId]))[0] ?? null
      : null,
    territories: await findTerritoriesByIds(ctx.db, territoryIds),
    members,
  };
}

export interface OrganisationFilters {
  q?: string;
  theme?: string;
  skill?: string;
  kind?: string;
  /** A territory id: finds organisations working in it or inside it. */
  territory?: string;
  signatory?: boolean;
  page?: number;
  perPage?: number;
}

/**
 * Searches the directory. Words match names, towns, themes and skills
 * whatever their accents, case or hyphens, and small typos are forgiven
 * (trigram word similarity); matches on the name come first.
 */
export async function findOrganisations(
  ctx: Ctx, filters: OrganisationFilters = {},
) {
  const perPage = Math.min(Math.max(filters.perPage ?? 20, 1), 500);
  const page = Math.max(filters.page ?? 1, 1);
  const key = fold(filters.q ?? "");
  const where: SQL[] = [];
  const order: SQL[] = [];

  if (key) {
    const like = `%${key.replace(/[\\%_]/g, "\\$&")}%`;
    where.push(sql`(${organisations.searchKey} like ${like}
      or ${key} <% ${organisations.searchKey})`);
    // Names containing the words, then other exact matches, then typos by
    // closeness: similarity, costly, is computed for typos only.
    order.push(
      sql`${organisations.nameKey} like ${like} desc`,
      sql`case when ${organisations.searchKey} like ${like} then 1
        else word_similarity(${key}, ${organisations.searchKey}) end desc`);
  }
  if (filters.theme) {
    where.push(sql`${organisations.themes} @> array[${filters.theme}]::text[]`);
  }
  if (filters.skill) {
    where.push(sql`${organisations.skills} @> array[${filters.skill}]::text[]`);
  }
  if (filters.kind) where.push(eq(organisations.kind, filters.kind as any));
  if (filters.territory) {
    where.push(sql`${organisations.territoryScope}
      @> array[${filters.territory}]::text[]`);
  }
  if (filters.signatory !== undefined) {
    where.push(eq(organisations.charterSignatory, filters.signatory));
  }

  const { rows, total } = await ctx.db.transaction(async (tx) => {
    // The planner prices trigram index scans so high that on a few
    // thousand rows it prefers to compute word similarity on every row,
    // ten times slower. For a search by words, the index is always right.
    if (key) await tx.execute(sql`set local enable_seqscan = off`);
    const rows = await tx.select({
      ...getTableColumns(organisations),
      total: sql<number>`count(*) over ()`.mapWith(Number),
    }).from(organisations).where(and(...where))
      .orderBy(...order, asc(organisations.nameKey), asc(organisations.id))
      .limit(perPage).offset((page - 1) * perPage);
    const total = rows[0]?.total ?? (page > 1
      ? await countOrganisations(tx, where) : 0);

    return { rows, total };
  });

  return {
    items: rows.map((row) => presentOrganisation(ctx.actor, row)),
    total,
    page,
    perPage,
    pageCount: Math.max(1, Math.ceil(total / perPage)),
  };
}

async function countOrganisations(db: Db, where: SQL[]) {
  const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(organisations).where(and(...where));

  return row.n;
}

// Themes and skills offered as filters change only when an organisation
// does: the list is kept until then.
const facetCache = new VersionedCache<{ themes: string[]; skills: string[] }>(
  ["organisations"]);

/** The themes and skills in use, to offer as filters. */
export async function findDirectoryFacets(db: Db) {
  return facetCache.get(db, "facets", 1, async () => {
    const [facets] = await db.select({
      themes: sql<string[]>`coalesce((select array_agg(distinct t order by t)
        from organisations, unnest(themes) t), '{}')`,
      skills: sql<string[]>`coalesce((select array_agg(distinct s order by s)
        from organisations, unnest(skills) s), '{}')`,
    }).from(sql`(select 1) one`);

    return facets;
  });
}
