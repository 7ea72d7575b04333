import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Actor, Ctx } from "../../domain/context.ts";
import { isStaff, requirePerson } from "../../domain/context.ts";
import {
  conflict, forbidden, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { events } from "../agenda/tables.ts";
import { recordAudit } from "../audit/audit.ts";
import { slugify } from "../directory/organisations.ts";
import { organisations } from "../directory/tables.ts";
import { initiatives } from "../initiatives/tables.ts";
import { findTerritoriesByIds } from "../territories/search.ts";
import { sheetBodyText } from "./content.ts";
import { validateSheet, type CleanSheet, type SheetInput }
  from "./input.ts";
import {
  canChangeCoauthors, canChangeFacilitator, canCommentSheet, canCreateSheet,
  canEditSheet, canReadSheet, canReviewSheet, canSubmitSheet, isWriterOf,
  type SheetParties,
} from "./policy.ts";
import {
  experienceSheets, sheetAttachments, sheetAuthors, sheetEvents,
  sheetInitiatives, sheetOrganisations,
} from "./tables.ts";
import { recordSheetVersion } from "./versions.ts";
import { isUuid } from "../../domain/ids.ts";

export type SheetRow = typeof experienceSheets.$inferSelect;

export const CONCURRENT_EDIT = "Quelqu'un d'autre a modifié cette fiche "
  + "pendant que vous la modifiiez. Vos saisies sont conservées "
  + "ci-dessous : rechargez la page pour voir l'autre version, puis "
  + "reportez vos changements.";

/** The sheet's slug, numbered after namesakes'; fixed once given. */
async function freeSheetSlug(db: Db, title: string): Promise<string> {
  let base = slugify(title).replace(/^structure$/, "fiche");
  // "nouvelle" is the page that creates a sheet.
  if (base === "nouvelle") base = "nouvelle-fiche";
  const taken = new Set((await db.select({ slug: experienceSheets.slug })
    .from(experienceSheets).where(or(eq(experienceSheets.slug, base),
      sql`${experienceSheets.slug} like ${`${base}-%`}`))).map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;

  return slug;
}

/** The authors' ids, the facilitator and the status: what rights read. */
export async function loadParties(
  db: Db, sheet: SheetRow,
): Promise<SheetParties> {
  const authors = await db.select({ id: sheetAuthors.personId })
    .from(sheetAuthors).where(eq(sheetAuthors.sheetId, sheet.id));
  const authorIds = authors.map((a) => a.id);
  // If the one who started it has left, the next author takes their place.
  const firstAuthorId = sheet.createdBy && authorIds.includes(sheet.createdBy)
    ? sheet.createdBy : authorIds[0] ?? null;

  return { status: sheet.status, facilitatorId: sheet.facilitatorId,
    firstAuthorId, authorIds };
}

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Writes the links and the searchable text of a checked sheet. */
async function saveSheetLinks(tx: Db, sheetId: string, clean: CleanSheet) {
  await tx.delete(sheetAuthors).where(eq(sheetAuthors.sheetId, sheetId));
  await tx.insert(sheetAuthors).values(clean.authorIds.map(
    (personId) => ({ sheetId, personId })));
  await tx.delete(sheetOrganisations)
    .where(eq(sheetOrganisations.sheetId, sheetId));
  if (clean.organisationIds.length) {
    await tx.insert(sheetOrganisations).values(clean.organisationIds.map(
      (organisationId) => ({ sheetId, organisationId })));
  }
  await tx.delete(sheetInitiatives)
    .where(eq(sheetInitiatives.sheetId, sheetId));
  if (clean.initiativeIds.length) {
    await tx.insert(sheetInitiatives).values(clean.initiativeIds.map(
      (initiativeId) => ({ sheetId, initiativeId })));
  }
  await tx.delete(sheetEvents).where(eq(sheetEvents.sheetId, sheetId));
  if (clean.eventIds.length) {
    await tx.insert(sheetEvents).values(clean.eventIds.map(
      (eventId) => ({ sheetId, eventId })));
  }
  await tx.execute(sql`update experience_sheets s set territory_scope =
    coalesce((select array_agg(distinct a order by a) from territories t
      cross join unnest(t.ancestors) a where t.id = any(s.territory_ids)),
      '{}') where s.id = ${sheetId}`);
}

const columnsOf = (clean: CleanSheet) => ({
  ...clean.values,
  territoryIds: clean.territories.map((t) => t.id),
  bodyText: sheetBodyText(clean.values, clean.territories.map((t) => t.label)),
});

/** An ally starts a sheet as its first author; it begins as a draft. */
export async function createSheet(
  ctx: Ctx, input: SheetInput,
): Promise<SheetRow> {
  if (!canCreateSheet(ctx.actor)) throw forbidden();
  const me = requirePerson(ctx.actor);
  const clean = await validateSheet(ctx.db, input, me.id);

  for (let attempt = 0; ; attempt++) {
    const slug = await freeSheetSlug(ctx.db, clean.values.title);
    try {
      return await ctx.db.transaction(async (tx) => {
        const [sheet] = await tx.insert(experienceSheets).values({
          ...columnsOf(clean), slug, createdBy: me.id,
          createdAt: ctx.now(), updatedAt: ctx.now(),
        }).returning();
        await saveSheetLinks(tx, sheet.id, clean);

        return sheet;
      });
    } catch (error) {
      // Two sheets of the same title at once: take the next number.
      if (isPgError(error, UNIQUE_VIOLATION) && attempt < 3) continue;
      throw error;
    }
  }
}

/**
 * Saves an edit. `version` is the one the editor read: if someone saved
 * in between, nothing is written and the editor is told. An edit of a
 * published sheet (staff only) becomes a new version of its history.
 */
export async function updateSheet(ctx: Ctx, input: SheetInput & {
  sheetId: string; version: number;
}): Promise<SheetRow> {
  const sheet = await getSheetRow(ctx.db, input.sheetId);
  const parties = await loadParties(ctx.db, sheet);
  if (!canEditSheet(ctx.actor, parties)) {
    if (!canReadSheet(ctx.actor, parties)) throw notFound();
    throw forbidden("Vous ne pouvez pas modifier cette fiche.");
  }
  const clean = await validateSheet(ctx.db, input, parties.firstAuthorId);
  // Rights on the people are checked here, whatever the form showed.
  if (!sameIds(clean.authorIds, parties.authorIds)
    && !canChangeCoauthors(ctx.actor, parties)) {
    throw forbidden("Seul·es le·la premier·e auteur·e, le·la "
      + "maïeuticien·ne et l'équipe peuvent changer les auteur·es de la "
      + "fiche.");
  }
  if (clean.values.facilitatorId !== sheet.facilitatorId
    && !canChangeFacilitator(ctx.actor, parties)) {
    throw forbidden("Seule l'équipe peut changer le·la maïeuticien·ne de "
      + "la fiche.");
  }

  return ctx.db.transaction(async (tx) => {
    const [saved] = await tx.update(experienceSheets).set({
      ...columnsOf(clean), updatedAt: ctx.now(),
      version: sql`${experienceSheets.version} + 1`,
    }).where(and(eq(experienceSheets.id, sheet.id),
      eq(experienceSheets.version, input.version),
      // The status read when rights were checked must still hold.
      eq(experienceSheets.status, sheet.status))).returning();
    if (!saved) throw conflict(CONCURRENT_EDIT);
    await saveSheetLinks(tx, sheet.id, clean);
    if (saved.status === "published") {
      const version = await recordSheetVersion(tx, ctx.actor, saved.id,
        "edited", ctx.now());
      await recordAudit(tx, ctx.actor, { action: "sheet.edited",
        subjectKind: "experience_sheet", subjectId: saved.id,
        details: { title: saved.title, version } }, ctx.now());
    }

    return saved;
  });
}

export async function getSheetRow(db: Db, id: string): Promise<SheetRow> {
  const [sheet] = isUuid(id) ? await db.select().from(experienceSheets)
    .where(eq(experienceSheets.id, id)) : [];
  if (!sheet) throw notFound("Cette fiche n'existe pas.");

  return sheet;
}

/** What one may do with a sheet, for its pages. */
export function sheetRights(actor: Actor, parties: SheetParties) {
  return {
    edit: canEditSheet(actor, parties),
    comment: canCommentSheet(actor, parties),
    submit: canSubmitSheet(actor, parties),
    review: canReviewSheet(actor),
    writer: isWriterOf(actor, parties),
    changeCoauthors: canChangeCoauthors(actor, parties),
    changeFacilitator: canChangeFacilitator(actor, parties),
  };
}

/**
 * A sheet with its people, links and attachments. A sheet one may not
 * read does not exist for them: drafts stay private to their writers.
 */
export async function getSheet(ctx: Ctx, slug: string) {
  const [sheet] = await ctx.db.select().from(experienceSheets)
    .where(eq(experienceSheets.slug, slug));
  if (!sheet) throw notFound("Cette fiche n'existe pas.");
  const parties = await loadParties(ctx.db, sheet);
  if (!canReadSheet(ctx.actor, parties)) throw notFound(
    "Cette fiche n'existe pas.");

  const authors = await ctx.db.select({ id: people.id,
    fullName: people.fullName, email: people.email }).from(sheetAuthors)
    .innerJoin(people, eq(people.id, sheetAuthors.personId))
    .where(eq(sheetAuthors.sheetId, sheet.id)).orderBy(asc(people.fullName));
  const [facilitator] = sheet.facilitatorId ? await ctx.db.select({
    id: people.id, fullName: people.fullName }).from(people)
    .where(eq(people.id, sheet.facilitatorId)) : [];
  const orgs = await ctx.db.select({ id: organisations.id,
    name: organisations.name, slug: organisations.slug })
    .from(sheetOrganisations)
    .innerJoin(organisations,
      eq(organisations.id, sheetOrganisations.organisationId))
    .where(eq(sheetOrganisations.sheetId, sheet.id))
    .orderBy(asc(organisations.name));
  const linkedInitiatives = await ctx.db.select({ id: initiatives.id,
    title: initiatives.title, slug: initiatives.slug,
    status: initiatives.status }).from(sheetInitiatives)
    .innerJoin(initiatives, eq(initiatives.id, sheetInitiatives.initiativeId))
    .where(eq(sheetInitiatives.sheetId, sheet.id));
  const linkedEvents = await ctx.db.select({ id: events.id,
    title: events.title, slug: events.slug, startsAt: events.startsAt })
    .from(sheetEvents).innerJoin(events, eq(events.id, sheetEvents.eventId))
    .where(eq(sheetEvents.sheetId, sheet.id)).orderBy(asc(events.startsAt));
  const attachments = await ctx.db.select().from(sheetAttachments)
    .where(eq(sheetAttachments.sheetId, sheet.id))
    .orderBy(asc(sheetAttachments.createdAt));
  const territories = await findTerritoriesByIds(ctx.db, sheet.territoryIds);
  const isPublic = (s: string) => s === "published";

  return {
    sheet, parties, authors, facilitator: facilitator ?? null,
    organisations: orgs, territories, attachments,
    // Unpublished initiatives are not shown to those who may not see them.
    initiatives: linkedInitiatives.filter((i) => isPublic(i.status)
      || isStaff(ctx.actor) || isWriterOf(ctx.actor, parties)),
    events: linkedEvents,
    rights: sheetRights(ctx.actor, parties),
  };
}
export type SheetPage = Awaited<ReturnType<typeof getSheet>>;

export interface SheetListItem {
  id: string; slug: string; title: string; summary: string;
  status: SheetRow["status"]; publishedAt: Date | null; updatedAt: Date;
  authors: string[];
}

async function listItems(db: Db, rows: SheetRow[]): Promise<SheetListItem[]> {
  if (rows.length === 0) return [];
  const names = await db.select({ sheetId: sheetAuthors.sheetId,
    fullName: people.fullName }).from(sheetAuthors)
    .innerJoin(people, eq(people.id, sheetAuthors.personId))
    .where(inArray(sheetAuthors.sheetId, rows.map((r) => r.id)))
    .orderBy(asc(people.fullName));

  return rows.map((r) => ({
    id: r.id, slug: r.slug, title: r.title, summary: r.summary,
    status: r.status, publishedAt: r.publishedAt, updatedAt: r.updatedAt,
    authors: names.filter((n) => n.sheetId === r.id).map((n) => n.fullName),
  }));
}

/** Published sheets, newest first: public. */
export async function findPublishedSheets(
  ctx: Ctx, options: { limit?: number; offset?: number } = {},
) {
  const rows = await ctx.db.select().from(experienceSheets)
    .where(eq(experienceSheets.status, "published"))
    .orderBy(desc(experienceSheets.publishedAt), asc(experienceSheets.title))
    .limit(Math.min(options.limit ?? 100, 500))
    .offset(Math.max(options.offset ?? 0, 0));

  return listItems(ctx.db, rows);
}

/** The unpublished sheets the signed-in person writes or accompanies. */
export async function findMySheets(ctx: Ctx) {
  if (ctx.actor.kind !== "person") return [];
  const me = ctx.actor.id;
  const rows = await ctx.db.select().from(experienceSheets)
    .where(and(sql`${experienceSheets.status} <> 'published'`,
      or(eq(experienceSheets.facilitatorId, me),
        sql`exists (select 1 from sheet_authors a where a.sheet_id =
          ${experienceSheets.id} and a.person_id = ${me})`)))
    .orderBy(desc(experienceSheets.updatedAt));

  return listItems(ctx.db, rows);
}

/** Staff's queue: sheets waiting for review first, then those sent back. */
export async function findReviewQueue(ctx: Ctx) {
  if (!canReviewSheet(ctx.actor)) throw forbidden();
  const rows = await ctx.db.select().from(experienceSheets)
    .where(inArray(experienceSheets.status, ["submitted", "sent_back"]))
    .orderBy(sql`${experienceSheets.status} = 'submitted' desc`,
      asc(experienceSheets.updatedAt));

  return listItems(ctx.db, rows);
}

/** Trained facilitators with an account, to choose one for a sheet. */
export async function findFacilitatorChoices(ctx: Ctx) {
  return ctx.db.select({ id: people.id, fullName: people.fullName })
    .from(people).where(and(eq(people.isFacilitator, true),
      eq(people.accountStatus, "active"))).orderBy(asc(people.fullName));
}

/** What a sheet may be linked to, and the organisations it may name. */
export async function findSheetFormChoices(
  ctx: Ctx, authorIds: readonly string[],
) {
  const ids = authorIds.length ? authorIds
    : ctx.actor.kind === "person" ? [ctx.actor.id] : [];
  const facilitators = await findFacilitatorChoices(ctx);
  const orgs = ids.length ? await ctx.db.selectDistinct({
    id: organisations.id, name: organisations.name }).from(organisations)
    .where(sql`${organisations.id} in (select organisation_id from
      memberships where person_id in (${sql.join(ids.map(
      (id) => sql`${id}::uuid`), sql`, `)}))`)
    .orderBy(asc(organisations.name)) : [];
  const inits = await ctx.db.select({ id: initiatives.id,
    title: initiatives.title }).from(initiatives)
    .where(eq(initiatives.status, "published"))
    .orderBy(asc(initiatives.title)).limit(500);
  const evs = await ctx.db.select({ id: events.id, title: events.title,
    startsAt: events.startsAt }).from(events)
    .where(eq(events.cancelled, false))
    .orderBy(desc(events.startsAt)).limit(500);

  return { facilitators, organisations: orgs, initiatives: inits,
    events: evs };
}
export type SheetFormChoices = Awaited<ReturnType<typeof findSheetFormChoices>>;

/** The id of the sheet at a slug; what it may be used for is checked later. */
export async function getSheetIdBySlug(db: Db, slug: string) {
  const [row] = await db.select({ id: experienceSheets.id })
    .from(experienceSheets).where(eq(experienceSheets.slug, slug));
  if (!row) throw notFound("Cette fiche n'existe pas.");

  return row.id;
}
