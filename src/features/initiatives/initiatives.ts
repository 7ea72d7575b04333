import { and, eq, sql, type SQL } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { idList } from "./sql.ts";
import { requirePerson, type Actor, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { initiativeFilters } from "./extensions.ts";
import { refreshPoolingMatches } from "./pooling.ts";
import { checkImage, removeImage, storeImage, type UploadedImage }
  from "./images.ts";
import {
  canCreateInitiativeFor, canEditInitiative, canModerateInitiatives,
  canSeeInitiative,
} from "./policy.ts";
import {
  INITIATIVE_STAGES, initiativeCarriers, initiativeHistory, initiatives,
  initiativeTerritories, POOLING_KINDS, poolingItems, type HistoryAction,
  type InitiativeLink, type InitiativeStage, type InitiativeStatus,
  type PoolingKind,
} from "./tables.ts";
import {
  findTerritoriesByIds, resolveTerritories, splitTerritoryEntries,
  type TerritoryRef,
} from "./territory-input.ts";

export type Initiative = typeof initiatives.$inferSelect;

export interface PoolingItemInput { kind: string; text: string }

/** What the create and edit forms send, as typed. */
export interface InitiativeInput {
  title: string;
  summary: string;
  description: string;
  carrierIds: string[];
  contactPersonId?: string | null;
  /** Territories as typed: ids, "Name (id)" or names, one per line. */
  territories: string;
  /** Ids chosen among the candidates of an ambiguous name. */
  territoryPicks?: string[];
  themes: string;
  stage: string;
  startsOn?: string;
  endsOn?: string;
  /** One link per line: "https://…" or "Label | https://…". */
  links: string;
  offers: PoolingItemInput[];
  needs: PoolingItemInput[];
  image?: UploadedImage | null;
}

export const STAGE_LABELS: Record<InitiativeStage, string> = {
  idea: "Idée", starting: "Démarrage", running: "En cours",
  finished: "Terminée",
};

export const STATUS_LABELS: Record<InitiativeStatus, string> = {
  draft: "Brouillon", submitted: "Soumise à l'équipe", published: "Publiée",
  archived: "Archivée",
};

/** The kind of an offer or need, as a phrase: "une formation". */
export const POOLING_KIND_LABELS: Record<PoolingKind, string> = {
  method: "une méthode", tool: "un outil", training: "une formation",
  study: "une étude", staff_time: "du temps de travail", place: "un lieu",
  funding: "un financement", other: "une ressource",
};

// ---------------------------------------------------------------- rights

/** Ids of the organisations a person belongs to. */
export async function findMembershipIds(db: Db, personId: string) {
  const rows = await query<{ id: string }>(db, sql`select organisation_id as id
    from memberships where person_id = ${personId}`);

  return rows.map((r) => r.id);
}

/** True when the actor is a member of an organisation carrying it. */
export async function isCarrierOf(
  db: Db, actor: Actor, initiativeId: string,
): Promise<boolean> {
  if (actor.kind !== "person") return false;
  const [row] = await query<{ yes: boolean }>(db, sql`select exists (
    select 1 from initiative_carriers c
    join memberships m on m.organisation_id = c.organisation_id
    where c.initiative_id = ${initiativeId} and m.person_id = ${actor.id})
    as yes`);

  return row.yes;
}

async function loadForEdit(ctx: Ctx, id: string) {
  const actor = requirePerson(ctx.actor);
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(eq(initiatives.id, id));
  if (!initiative) throw notFound();
  const carrier = await isCarrierOf(ctx.db, actor, id);
  if (!canEditInitiative(actor, carrier)) throw forbidden();

  return { actor, initiative, carrier };
}

// ------------------------------------------------------------ validation

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseLinks(text: string, fields: Record<string, string>) {
  const links: InitiativeLink[] = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const [first, second] = line.split("|").map((s) => s.trim());
    const url = second ?? first;
    const label = second ? first : url;
    let parsed: URL | null = null;
    try { parsed = new URL(url); } catch { /* reported below */ }
    if (!parsed || !["http:", "https:"].includes(parsed.protocol)) {
      fields.links = `Lien invalide : « ${line.slice(0, 80)} » (une adresse `
        + "qui commence par https:// est attendue).";
      continue;
    }
    links.push({ label: label.slice(0, 120), url: parsed.toString() });
  }
  if (links.length > 10) fields.links = "Dix liens au plus.";

  return links;
}

function parseItems(
  items: PoolingItemInput[], prefix: "offer" | "need",
  fields: Record<string, string>,
) {
  const kept: { kind: PoolingKind; text: string }[] = [];
  for (const [i, item] of items.entries()) {
    const text = item.text.trim();
    if (!text) continue;
    if (!POOLING_KINDS.includes(item.kind as PoolingKind)) {
      fields[`${prefix}Kind_${i}`] = "Choisissez le type.";
    } else if (text.length > 300) {
      fields[`${prefix}Text_${i}`] = "300 caractères au plus.";
    } else {
      kept.push({ kind: item.kind as PoolingKind, text });
    }
  }

  return kept;
}

/** Reads and checks the form; throws `invalid` with every field's error. */
async function validateInput(ctx: Ctx, input: InitiativeInput) {
  const fields: Record<string, string> = {};
  const title = input.title.trim();
  const summary = input.summary.trim();
  const description = input.description.trim();
  if (!title) fields.title = "Indiquez le titre de l'initiative.";
  else if (title.length > 150) fields.title = "150 caractères au plus.";
  if (summary.length > 500) fields.summary = "500 caractères au plus.";
  if (description.length > 20000) {
    fields.description = "20 000 caractères au plus.";
  }
  if (!INITIATIVE_STAGES.includes(input.stage as InitiativeStage)) {
    fields.stage = "Choisissez l'étape où en est l'initiative.";
  }
  const carrierIds = [...new Set(input.carrierIds.filter((id) => UUID.test(id)))];
  if (carrierIds.length === 0) {
    fields.carrierIds = "Choisissez au moins une structure porteuse.";
  }
  const startsOn = input.startsOn?.trim() || null;
  const endsOn = input.endsOn?.trim() || null;
  if (startsOn && !DATE.test(startsOn)) fields.startsOn = "Date invalide.";
  if (endsOn && !DATE.test(endsOn)) fields.endsOn = "Date invalide.";
  if (startsOn && endsOn && DATE.test(startsOn) && DATE.test(endsOn)
    && endsOn < startsOn) {
    fields.endsOn = "La fin ne peut précéder le début.";
  }
  const themes = [...new Set(input.themes.split(/[,;\n]/)
    .map((t) => t.trim().toLowerCase()).filter(Boolean))];
  if (themes.length > 12) fields.themes = "Douze thèmes au plus.";
  const links = parseLinks(input.links, fields);
  const offers = parseItems(input.offers, "offer", fields);
  const needs = parseItems(input.needs, "need", fields);

  const entries = splitTerritoryEntries(input.territories);
  const places = await resolveTerritories(ctx.db, entries,
    input.territoryPicks ?? []);
  if (places.unknown.length > 0) {
    fields.territories = `Territoire inconnu : ${places.unknown.join(", ")}.`;
  } else if (places.ambiguous.length > 0) {
    fields.territories = "Plusieurs territoires portent ce nom : "
      + `${places.ambiguous.map((a) => a.entry).join(", ")}. Choisissez-le `
      + "ci-dessous.";
  }

  let contactPersonId = input.contactPersonId || null;
  if (contactPersonId && !UUID.test(contactPersonId)) {
    fields.contactPersonId = "Personne inconnue.";
    contactPersonId = null;
  }
  if (input.image) {
    const message = checkImage(input.image);
    if (message) fields.image = message;
  }
  if (Object.keys(fields).length > 0) {
    throw invalid("Le formulaire contient des erreurs.", fields);
  }

  return {
    title, summary, description, carrierIds, startsOn, endsOn, themes,
    links, offers, needs, territoryIds: places.ids, contactPersonId,
    stage: input.stage as InitiativeStage,
  };
}

type Valid = Awaited<ReturnType<typeof validateInput>>;

/**
 * The contact must act for a carrier. By default it is the author, or no
 * one when staff write for an organisation they are not part of.
 */
async function checkContact(db: Db, valid: Valid, fallback: string | null) {
  const id = valid.contactPersonId ?? fallback;
  if (!id) return null;
  const [row] = await query<{ ok: boolean }>(db, sql`select exists (
    select 1 from memberships where person_id = ${id}
      and organisation_id = any(${idList(valid.carrierIds)}::uuid[])) as ok`);
  if (row.ok) return id;
  if (!valid.contactPersonId) return null;

  throw invalid("Le formulaire contient des erreurs.", { contactPersonId:
    "Le contact doit faire partie d'une structure porteuse." });
}

async function checkCarriersExist(db: Db, ids: string[]) {
  const rows = await query<{ id: string }>(db, sql`select id from
    organisations where id = any(${idList(ids)}::uuid[])`);
  if (rows.length !== ids.length) {
    throw invalid("Le formulaire contient des erreurs.",
      { carrierIds: "Structure porteuse inconnue." });
  }
}

// ------------------------------------------------------------- writing

/**
 * Keeps the folded search key and the French full text in step with the
 * initiatives and their offers and needs. Called in the transaction of
 * every change to them, and in bulk by the benchmark's generator.
 */
export async function refreshInitiativeSearch(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db.execute(sql`
    update initiatives i set
      search_key = atelier_fold(i.title || ' ' || i.summary || ' '
        || i.description || ' ' || atelier_join(i.themes) || ' '
        || coalesce(p.texts, '')),
      search_vector =
        setweight(to_tsvector('french', atelier_fold(i.title)), 'A')
        || setweight(to_tsvector('french', atelier_fold(i.summary)), 'B')
        || setweight(to_tsvector('french', atelier_fold(i.description
          || ' ' || atelier_join(i.themes) || ' ' || coalesce(p.texts, ''))),
          'C')
    from (select target.id, (select string_agg(text, ' ' order by position)
        from initiative_pooling_items where initiative_id = target.id) texts
      from initiatives target
      where target.id = any(${idList(ids)}::uuid[])) p
    where i.id = p.id`);
}

/** Territories and every territory containing them, as in the directory. */
async function scopeOf(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await query<{ id: string }>(db, sql`select distinct
    unnest(ancestors) as id from territories where id = any(${idList(ids)}::text[])`);

  return rows.map((r) => r.id).sort();
}

async function writeParts(db: Db, id: string, valid: Valid) {
  await db.delete(initiativeCarriers)
    .where(eq(initiativeCarriers.initiativeId, id));
  await db.insert(initiativeCarriers).values(valid.carrierIds
    .map((organisationId) => ({ initiativeId: id, organisationId })));
  await db.delete(initiativeTerritories)
    .where(eq(initiativeTerritories.initiativeId, id));
  if (valid.territoryIds.length) {
    await db.insert(initiativeTerritories).values(valid.territoryIds
      .map((territoryId) => ({ initiativeId: id, territoryId })));
  }
  await db.delete(poolingItems).where(eq(poolingItems.initiativeId, id));
  const items = [
    ...valid.offers.map((o, i) => ({ ...o, direction: "offer" as const,
      position: i })),
    ...valid.needs.map((n, i) => ({ ...n, direction: "need" as const,
      position: i })),
  ];
  if (items.length) {
    await db.insert(poolingItems).values(items
      .map((item) => ({ ...item, initiativeId: id })));
  }
  await refreshPoolingMatches(db, [id]);
  await refreshInitiativeSearch(db, [id]);
}

// The command line acts as a staff member who is not in the people table.
const personOrNull = (id: string) =>
  id === "00000000-0000-0000-0000-000000000000" ? null : id;

async function logHistory(
  db: Db, initiativeId: string, personId: string, action: HistoryAction,
  status: InitiativeStatus, reason = "",
) {
  await db.insert(initiativeHistory).values({
    initiativeId, personId: personOrNull(personId), action, status, reason,
  });
}

export function slugify(title: string): string {
  const base = title.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")
    .slice(0, 60).replace(/-$/, "");

  return base || "initiative";
}

async function freeSlug(db: Db, title: string) {
  const base = slugify(title);
  const rows = await query<{ slug: string }>(db, sql`select slug from
    initiatives where slug = ${base} or slug like ${`${base}-%`}`);
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

/**
 * Creates a draft initiative. An ally creates it only for organisations
 * they belong to; staff for any.
 */
export async function createInitiative(
  ctx: Ctx, input: InitiativeInput,
): Promise<Initiative> {
  const actor = requirePerson(ctx.actor);
  const memberOf = await findMembershipIds(ctx.db, actor.id);
  if (!canCreateInitiativeFor(actor, memberOf, input.carrierIds)) {
    throw forbidden("Vous ne pouvez déclarer une initiative que pour une "
      + "structure dont vous faites partie.");
  }

  const valid = await validateInput(ctx, input);
  await checkCarriersExist(ctx.db, valid.carrierIds);
  const contactPersonId = await checkContact(ctx.db, valid,
    personOrNull(actor.id));
  const image = input.image ? await storeImage(ctx.config, input.image.content)
    : null;

  try {
    return await ctx.db.transaction(async (tx) => {
      const [created] = await tx.insert(initiatives).values({
        slug: await freeSlug(tx, valid.title),
        title: valid.title, summary: valid.summary,
        description: valid.description, contactPersonId,
        themes: valid.themes, stage: valid.stage, status: "draft",
        startsOn: valid.startsOn, endsOn: valid.endsOn, links: valid.links,
        imageFile: image?.file ?? null,
        imageContentType: image?.contentType ?? null,
        territoryScope: await scopeOf(tx, valid.territoryIds),
        createdBy: personOrNull(actor.id),
      }).returning();
      await writeParts(tx, created.id, valid);
      await logHistory(tx, created.id, actor.id, "created", "draft");

      return created;
    });
  } catch (error) {
    if (image) await removeImage(ctx.config, image.file);
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw conflict("Une initiative porte déjà ce titre. Réessayez.");
    }
    throw error;
  }
}

/**
 * Edits an initiative. Carriers and staff only; an allied carrier may add
 * only organisations they belong to and must stay a carrier. A published
 * initiative stays published, and the edit is logged.
 */
export async function updateInitiative(
  ctx: Ctx, id: string, input: InitiativeInput,
): Promise<Initiative> {
  const { actor, initiative } = await loadForEdit(ctx, id);
  if (!canModerateInitiatives(actor)) {
    const memberOf = await findMembershipIds(ctx.db, actor.id);
    const current = (await ctx.db.select().from(initiativeCarriers)
      .where(eq(initiativeCarriers.initiativeId, id)))
      .map((c) => c.organisationId);
    const ids = input.carrierIds;
    const allowed = ids.every((c) => memberOf.includes(c)
      || current.includes(c));
    if (!allowed || !ids.some((c) => memberOf.includes(c))) {
      throw forbidden("Vous ne pouvez ajouter que des structures dont vous "
        + "faites partie, et devez rester porteur·se de l'initiative.");
    }
  }

  const valid = await validateInput(ctx, input);
  await checkCarriersExist(ctx.db, valid.carrierIds);
  const contactPersonId = await checkContact(ctx.db, valid,
    initiative.contactPersonId ?? actor.id);
  const image = input.image ? await storeImage(ctx.config, input.image.content)
    : null;

  const updated = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(initiatives).set({
      title: valid.title, summary: valid.summary,
      description: valid.description, contactPersonId,
      themes: valid.themes, stage: valid.stage,
      startsOn: valid.startsOn, endsOn: valid.endsOn, links: valid.links,
      ...(image ? { imageFile: image.file,
        imageContentType: image.contentType } : {}),
      territoryScope: await scopeOf(tx, valid.territoryIds),
      version: sql`${initiatives.version} + 1`,
      updatedAt: ctx.now(),
    }).where(eq(initiatives.id, id)).returning();
    await writeParts(tx, id, valid);
    await logHistory(tx, id, actor.id, "edited", row.status);

    return row;
  });
  if (image && initiative.imageFile) {
    await removeImage(ctx.config, initiative.imageFile);
  }

  return updated;
}

/** A carrier hands a draft to staff for moderation. */
export async function submitInitiative(ctx: Ctx, id: string) {
  const { actor, initiative } = await loadForEdit(ctx, id);
  if (initiative.status !== "draft") {
    throw conflict("Seul un brouillon peut être soumis.");
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(initiatives).set({ status: "submitted",
      updatedAt: ctx.now() }).where(and(eq(initiatives.id, id),
      eq(initiatives.status, "draft")));
    await logHistory(tx, id, actor.id, "submitted", "submitted");
  });
}

async function moderate(ctx: Ctx, id: string) {
  const actor = requirePerson(ctx.actor);
  if (!canModerateInitiatives(actor)) throw forbidden();
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(eq(initiatives.id, id));
  if (!initiative) throw notFound();

  return { actor, initiative };
}

/** Staff publish a draft or submitted initiative. */
export async function publishInitiative(ctx: Ctx, id: string) {
  const { actor, initiative } = await moderate(ctx, id);
  if (initiative.status === "published") {
    throw conflict("Cette initiative est déjà publiée.");
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(initiatives).set({
      status: "published", updatedAt: ctx.now(),
      publishedAt: initiative.publishedAt ?? ctx.now(),
    }).where(eq(initiatives.id, id));
    await logHistory(tx, id, actor.id, "published", "published");
  });
}

/** E-mail addresses of the carriers' members and of the contact. */
export async function findCarrierEmails(db: Db, id: string) {
  const rows = await query<{ email: string }>(db, sql`
    select distinct lower(p.email) as email from people p
    where p.email is not null and p.account_status = 'active' and (
      p.id = (select contact_person_id from initiatives where id = ${id})
      or p.id in (select m.person_id from memberships m
        join initiative_carriers c on c.organisation_id = m.organisation_id
        where c.initiative_id = ${id}))
    order by 1`);

  return rows.map((r) => r.email);
}

/**
 * Staff take a published initiative back to draft, with a reason that the
 * carriers receive by e-mail.
 */
export async function unpublishInitiative(
  ctx: Ctx, id: string, reason: string,
) {
  const { actor, initiative } = await moderate(ctx, id);
  const why = reason.trim();
  if (!why) {
    throw invalid("Indiquez la raison du retrait.",
      { reason: "Indiquez la raison : elle est envoyée aux porteur·ses." });
  }
  if (initiative.status !== "published") {
    throw conflict("Cette initiative n'est pas publiée.");
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(initiatives).set({ status: "draft",
      updatedAt: ctx.now() }).where(eq(initiatives.id, id));
    await logHistory(tx, id, actor.id, "unpublished", "draft", why);
    for (const to of await findCarrierEmails(tx, id)) {
      await enqueueMail(tx, {
        to,
        subject: `Initiative retirée de la publication : ${initiative.title}`,
        text: `Bonjour,\n\nL'équipe de l'association a retiré de la `
          + `publication l'initiative « ${initiative.title} ». Elle redevient `
          + `un brouillon, que vous pouvez modifier puis soumettre à nouveau.`
          + `\n\nRaison : ${why}\n\n${ctx.config.baseUrl}/initiatives/`
          + `${initiative.slug}\n`,
      });
    }
  });
}

/** Carriers or staff archive an initiative that has ended. */
export async function archiveInitiative(ctx: Ctx, id: string) {
  const { actor, initiative } = await loadForEdit(ctx, id);
  if (initiative.status === "archived") {
    throw conflict("Cette initiative est déjà archivée.");
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(initiatives).set({ status: "archived",
      updatedAt: ctx.now() }).where(eq(initiatives.id, id));
    await logHistory(tx, id, actor.id, "archived", "archived");
  });
}

// ------------------------------------------------------------- reading

export interface CarrierRef {
  id: string; slug: string; name: string; kind: string | null;
}
export interface PoolingItem { direction: string; kind: PoolingKind; text: string }
export interface InitiativeDetail {
  initiative: Initiative;
  carriers: CarrierRef[];
  territories: TerritoryRef[];
  offers: PoolingItem[];
  needs: PoolingItem[];
  contact: { id: string; fullName: string; email: string | null } | null;
  isCarrier: boolean;
  canEdit: boolean;
  canModerate: boolean;
}

export async function findCarriers(db: Db, id: string) {
  return query<CarrierRef>(db, sql`select o.id, o.slug, o.name, o.kind
    from initiative_carriers c join organisations o on o.id = c.organisation_id
    where c.initiative_id = ${id} order by o.name`);
}

async function detailOf(ctx: Ctx, initiative: Initiative) {
  const isCarrier = await isCarrierOf(ctx.db, ctx.actor, initiative.id);
  if (!canSeeInitiative(ctx.actor, initiative.status, isCarrier)) {
    throw notFound();
  }
  const territoryRows = await ctx.db.select().from(initiativeTerritories)
    .where(eq(initiativeTerritories.initiativeId, initiative.id));
  const items = await ctx.db.select().from(poolingItems)
    .where(eq(poolingItems.initiativeId, initiative.id))
    .orderBy(poolingItems.position);
  const signedIn = ctx.actor.kind === "person";
  const staff = canModerateInitiatives(ctx.actor);
  const [contact] = initiative.contactPersonId
    ? await query<{ id: string; fullName: string; email: string | null;
      visibility: string }>(ctx.db, sql`select id, full_name as "fullName",
      email, email_visibility as visibility from people
      where id = ${initiative.contactPersonId}`)
    : [];
  const emailShown = contact && (contact.visibility === "public"
    || (contact.visibility === "allies" && signedIn) || staff);
  const pick = (direction: string) => items
    .filter((i) => i.direction === direction)
    .map((i) => ({ direction, kind: i.kind, text: i.text }));

  const detail: InitiativeDetail = {
    initiative,
    carriers: await findCarriers(ctx.db, initiative.id),
    territories: await findTerritoriesByIds(ctx.db,
      territoryRows.map((t) => t.territoryId)),
    offers: pick("offer"),
    needs: pick("need"),
    contact: contact ? { id: contact.id, fullName: contact.fullName,
      email: emailShown ? contact.email : null } : null,
    isCarrier,
    canEdit: canEditInitiative(ctx.actor, isCarrier),
    canModerate: staff,
  };

  return detail;
}

/** An initiative by its slug, if the actor may see it. */
export async function getInitiativeBySlug(ctx: Ctx, slug: string) {
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(eq(initiatives.slug, slug));
  if (!initiative) throw notFound();

  return detailOf(ctx, initiative);
}

export async function getInitiative(ctx: Ctx, id: string) {
  if (!UUID.test(id)) throw notFound();
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(eq(initiatives.id, id));
  if (!initiative) throw notFound();

  return detailOf(ctx, initiative);
}

export interface InitiativeSummary {
  id: string;
  slug: string;
  title: string;
  summary: string;
  themes: string[];
  stage: InitiativeStage;
  status: InitiativeStatus;
  imageFile: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
  carriers: string[];
}

const summaryColumns = sql`i.id, i.slug, i.title, i.summary, i.themes,
  i.stage, i.status, i.image_file as "imageFile",
  i.published_at as "publishedAt", i.updated_at as "updatedAt",
  coalesce((select array_agg(o.name order by o.name)
    from initiative_carriers c join organisations o on o.id = c.organisation_id
    where c.initiative_id = i.id), '{}') as carriers`;

function toDates<T extends { publishedAt: any; updatedAt: any }>(row: T): T {
  return { ...row,
    publishedAt: row.publishedAt ? new Date(row.publishedAt) : null,
    updatedAt: new Date(row.updatedAt) };
}

export interface InitiativeFilters {
  q?: string;
  theme?: string;
  /** A territory id: initiatives there or in a territory it contains. */
  territory?: string;
  stage?: string;
  /** Kind of one of the carrying organisations. */
  carrierKind?: string;
  /** Values of the filters registered by other features, by param. */
  extra?: Record<string, string | undefined>;
  limit?: number;
  offset?: number;
}

/**
 * Published initiatives matching a search and filters. The search is
 * accent- and typo-tolerant: French full text on the folded words, or
 * trigram word similarity for a misspelt word; ranked by both.
 */
export async function findInitiatives(
  ctx: Ctx, filters: InitiativeFilters,
): Promise<{ items: InitiativeSummary[]; total: number }> {
  const where: SQL[] = [sql`i.status = 'published'`];
  const q = filters.q?.trim();
  let rank = sql``;
  if (q) {
    const folded = sql`atelier_fold(${q})`;
    const tsq = sql`websearch_to_tsquery('french', ${folded})`;
    where.push(sql`(i.search_vector @@ ${tsq} or ${folded} <% i.search_key)`);
    rank = sql`ts_rank_cd(i.search_vector, ${tsq})
      + word_similarity(${folded}, i.search_key) desc,`;
  }
  if (filters.theme) where.push(sql`i.themes @> array[${filters.theme}]`);
  if (filters.territory) {
    where.push(sql`i.territory_scope @> array[${filters.territory}]`);
  }
  if (filters.stage) where.push(sql`i.stage = ${filters.stage}`);
  if (filters.carrierKind) {
    where.push(sql`exists (select 1 from initiative_carriers c
      join organisations o on o.id = c.organisation_id
      where c.initiative_id = i.id and o.kind = ${filters.carrierKind})`);
  }
  for (const filter of initiativeFilters()) {
    const value = filters.extra?.[filter.param];
    if (value) where.push(filter.where(value));
  }
  const condition = sql.join(where, sql` and `);
  const limit = Math.min(filters.limit ?? 30, 100);

  const rows = await query<InitiativeSummary & { total: number }>(ctx.db,
    sql`select ${summaryColumns}, count(*) over ()::int as total
      from initiatives i where ${condition}
      order by ${rank} i.published_at desc nulls last, i.title
      limit ${limit} offset ${filters.offset ?? 0}`);

  return { items: rows.map(toDates), total: rows[0]?.total ?? 0 };
}

/** Initiatives carried by an organisation, for its profile. */
export async function findInitiativesOfOrganisation(
  ctx: Ctx, organisationId: string,
): Promise<InitiativeSummary[]> {
  if (!UUID.test(organisationId)) return [];
  const member = ctx.actor.kind === "person" && (canModerateInitiatives(
    ctx.actor) || (await findMembershipIds(ctx.db, ctx.actor.id))
    .includes(organisationId));
  const visible = member ? sql`i.status <> 'archived'`
    : sql`i.status = 'published'`;
  const rows = await query<InitiativeSummary>(ctx.db, sql`
    select ${summaryColumns} from initiatives i
    where ${visible} and exists (select 1 from initiative_carriers c
      where c.initiative_id = i.id and c.organisation_id = ${organisationId})
    order by i.published_at desc nulls first, i.title`);

  return rows.map(toDates);
}

/** The initiatives the actor carries, whatever their state. */
export async function findMyInitiatives(ctx: Ctx) {
  const actor = requirePerson(ctx.actor);
  const rows = await query<InitiativeSummary>(ctx.db, sql`
    select ${summaryColumns} from initiatives i
    where exists (select 1 from initiative_carriers c
      join memberships m on m.organisation_id = c.organisation_id
      where c.initiative_id = i.id and m.person_id = ${actor.id})
    order by i.updated_at desc`);

  return rows.map(toDates);
}

/** Staff's queue: submitted first, then drafts and published ones. */
export async function findInitiativesToModerate(ctx: Ctx) {
  const actor = requirePerson(ctx.actor);
  if (!canModerateInitiatives(actor)) throw forbidden();
  const rows = await query<InitiativeSummary>(ctx.db, sql`
    select ${summaryColumns} from initiatives i
    where i.status in ('submitted', 'published')
    order by i.status = 'submitted' desc, i.updated_at desc limit 200`);

  return rows.map(toDates);
}

export interface HistoryEntry {
  action: HistoryAction; status: InitiativeStatus; reason: string;
  createdAt: Date; personName: string | null;
}

/** The publication log of an initiative, for its carriers and staff. */
export async function findInitiativeHistory(
  ctx: Ctx, id: string,
): Promise<HistoryEntry[]> {
  await loadForEdit(ctx, id);
  const rows = await query<HistoryEntry>(ctx.db, sql`select h.action,
    h.status, h.reason, h.created_at as "createdAt",
    p.full_name as "personName" from initiative_history h
    left join people p on p.id = h.person_id
    where h.initiative_id = ${id} order by h.created_at desc, h.id`);

  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}

/** Organisations the actor may name as carriers, and their members. */
export async function findCarrierChoices(ctx: Ctx, currentIds: string[] = []) {
  const actor = requirePerson(ctx.actor);
  const organisations = await query<CarrierRef>(ctx.db, sql`
    select o.id, o.slug, o.name, o.kind from organisations o
    where o.id in (select organisation_id from memberships
      where person_id = ${actor.id})
      or o.id = any(${idList(currentIds)}::uuid[])
    order by o.name`);
  const ids = organisations.map((o) => o.id);
  const people = ids.length ? await query<{ id: string; fullName: string }>(
    ctx.db, sql`select distinct p.id, p.full_name as "fullName" from people p
      join memberships m on m.person_id = p.id
      where m.organisation_id = any(${idList(ids)}::uuid[]) order by 2`) : [];

  return { organisations, people };
}

/** Finds an organisation by its exact name, folded (for staff's form). */
export async function findOrganisationIdByName(db: Db, name: string) {
  const rows = await query<{ id: string }>(db, sql`select id from
    organisations where name_key = atelier_fold(${name}) limit 2`);

  return rows.length === 1 ? rows[0].id : null;
}

/** Themes in use by published initiatives, for the filter. */
export async function findInitiativeThemes(ctx: Ctx) {
  const rows = await query<{ theme: string }>(ctx.db, sql`select distinct
    unnest(themes) as theme from initiatives where status = 'published'
    order by 1`);

  return rows.map((r) => r.theme);
}

export const isUuid = (value: string) => UUID.test(value);
