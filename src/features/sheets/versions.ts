import { and, asc, desc, eq, sql } from "drizzle-orm";
import { diffWords } from "diff";
import type { Db } from "../../db/client.ts";
import type { Actor, Ctx } from "../../domain/context.ts";
import { invalid, notFound } from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { personIdOf } from "../audit/audit.ts";
import { organisations } from "../directory/tables.ts";
import { findTerritoriesByIds } from "../territories/search.ts";
import { SECTION_TITLES, snapshotParts } from "./content.ts";
import { canReadSheet } from "./policy.ts";
import {
  experienceSheets, sheetAuthors, sheetOrganisations, sheetVersions,
  type SheetSnapshot,
} from "./tables.ts";

/** The sheet as it reads now, with names rather than ids. */
export async function snapshotSheet(
  db: Db, sheetId: string,
): Promise<SheetSnapshot> {
  const [s] = await db.select().from(experienceSheets)
    .where(eq(experienceSheets.id, sheetId));
  if (!s) throw notFound("Cette fiche n'existe pas.");
  const authors = await db.select({ name: people.fullName })
    .from(sheetAuthors).innerJoin(people, eq(people.id, sheetAuthors.personId))
    .where(eq(sheetAuthors.sheetId, s.id)).orderBy(asc(people.fullName));
  const orgs = await db.select({ name: organisations.name })
    .from(sheetOrganisations).innerJoin(organisations,
      eq(organisations.id, sheetOrganisations.organisationId))
    .where(eq(sheetOrganisations.sheetId, s.id))
    .orderBy(asc(organisations.name));
  const [facilitator] = s.facilitatorId ? await db.select({
    name: people.fullName }).from(people)
    .where(eq(people.id, s.facilitatorId)) : [];
  const territories = await findTerritoriesByIds(db, s.territoryIds);

  return {
    title: s.title, summary: s.summary, context: s.context,
    actors: s.actors, trajectory: s.trajectory, actions: s.actions,
    effects: s.effects, difficulties: s.difficulties, lessons: s.lessons,
    themes: s.themes, competences: s.competences, tools: s.tools,
    methods: s.methods, territories: territories.map((t) => t.label),
    authors: authors.map((a) => a.name), organisations: orgs.map((o) => o.name),
    facilitator: facilitator?.name ?? "",
  };
}

/**
 * Freezes the sheet as it reads now into its history, numbered after the
 * last version. Runs in the transaction of the change it records.
 */
export async function recordSheetVersion(
  tx: Db, actor: Actor, sheetId: string, reason: "published" | "edited",
  at: Date,
): Promise<number> {
  const snapshot = await snapshotSheet(tx, sheetId);
  const [{ next }] = await tx.select({
    next: sql<number>`coalesce(max(${sheetVersions.number}), 0)::int + 1`,
  }).from(sheetVersions).where(eq(sheetVersions.sheetId, sheetId));
  await tx.insert(sheetVersions).values({
    sheetId, number: next, reason, snapshot,
    changedBy: personIdOf(actor),
    changedByName: actor.kind === "person" ? actor.fullName : "Visiteur",
    createdAt: at,
  });

  return next;
}

async function readableSheet(ctx: Ctx, slug: string) {
  const [sheet] = await ctx.db.select().from(experienceSheets)
    .where(eq(experienceSheets.slug, slug));
  if (!sheet) throw notFound("Cette fiche n'existe pas.");
  const authors = await ctx.db.select({ id: sheetAuthors.personId })
    .from(sheetAuthors).where(eq(sheetAuthors.sheetId, sheet.id));
  // A sheet sent back after publication keeps its public history only for
  // those who may read the sheet now.
  if (!canReadSheet(ctx.actor, { status: sheet.status,
    facilitatorId: sheet.facilitatorId, firstAuthorId: sheet.createdBy,
    authorIds: authors.map((a) => a.id) })) {
    throw notFound("Cette fiche n'existe pas.");
  }

  return sheet;
}

/** The history of a sheet, newest first: who, when, why. */
export async function findSheetVersions(ctx: Ctx, slug: string) {
  const sheet = await readableSheet(ctx, slug);
  const versions = await ctx.db.select({ number: sheetVersions.number,
    reason: sheetVersions.reason, changedByName: sheetVersions.changedByName,
    createdAt: sheetVersions.createdAt }).from(sheetVersions)
    .where(eq(sheetVersions.sheetId, sheet.id))
    .orderBy(desc(sheetVersions.number));

  return { sheet, versions };
}

export interface DiffPart { kind: "same" | "added" | "removed"; text: string }
export interface SectionDiff { key: string; title: string; parts: DiffPart[] }

/** Word by word, what changed in one text. */
export function diffText(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((c) => ({
    kind: c.added ? "added" : c.removed ? "removed" : "same",
    text: c.value,
  }));
}

/**
 * What changed between two versions of a sheet, section by section; the
 * unchanged sections are left out.
 */
export async function diffSheetVersions(
  ctx: Ctx, slug: string, from: number, to: number,
) {
  const sheet = await readableSheet(ctx, slug);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from === to) {
    throw invalid("Choisissez deux versions différentes.");
  }
  // Numbers are kept as 32-bit integers: a larger one names no version,
  // and would not even fit the query.
  if (![from, to].every((n) => n >= 1 && n <= 2_147_483_647)) {
    throw notFound("Cette version n'existe pas.");
  }
  const rows = await ctx.db.select().from(sheetVersions)
    .where(and(eq(sheetVersions.sheetId, sheet.id),
      sql`${sheetVersions.number} in (${from}, ${to})`));
  const older = rows.find((r) => r.number === from);
  const newer = rows.find((r) => r.number === to);
  if (!older || !newer) throw notFound("Cette version n'existe pas.");
  const before = new Map(snapshotParts(older.snapshot));
  const sections: SectionDiff[] = snapshotParts(newer.snapshot)
    .filter(([key, text]) => before.get(key) !== text)
    .map(([key, text]) => ({ key, title: SECTION_TITLES[key] ?? key,
      parts: diffText(before.get(key) ?? "", text) }));

  return { sheet, from: older, to: newer, sections };
}
