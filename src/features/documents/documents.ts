import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import {
  FOREIGN_KEY_VIOLATION, forbidden, invalid, isPgError, notFound,
  pgConstraint, unauthenticated,
} from "../../domain/errors.ts";
import { fileNameFor } from "../../domain/file-types.ts";
import { people } from "../accounts/tables.ts";
import { recordAudit } from "../audit/audit.ts";
import { slugify } from "../directory/organisations.ts";
import { memberships, organisations } from "../directory/tables.ts";
import {
  findTerritoriesByIds, type TerritorySummary,
} from "../territories/search.ts";
import {
  contentTypeOf, detectFormat, extractFileText, MAX_FILE_BYTES,
  readStoredFile, removeStoredFile, storeFile,
} from "./files.ts";
import {
  canDepositDocument, canReviewDocuments, canSeeDocument,
} from "./policy.ts";
import {
  DOCUMENT_KINDS, documentOrganisations, documents, documentTerritories,
  type DocumentKind,
} from "./tables.ts";

export type DocumentRow = typeof documents.$inferSelect;

/** What the deposit form or the API gives to describe a document. */
export interface DocumentInput {
  title: string;
  kind: string;
  authors?: string;
  year?: string | number | null;
  language?: string;
  summary?: string;
  themes?: string[];
  territoryIds?: string[];
  organisationIds?: string[];
  sourceUrl?: string | null;
  file?: { name: string; bytes: Uint8Array } | null;
}

const cleanList = (items: string[] | undefined) =>
  [...new Set((items ?? []).map((s) => s.trim()).filter(Boolean))];

/** Checks a description; returns the columns to write, or throws invalid. */
export function validateDocument(
  input: DocumentInput, options = { requireContent: true },
) {
  const fields: Record<string, string> = {};
  const title = (input.title ?? "").trim();
  if (!title) fields.title = "Indiquez le titre du document.";
  else if (title.length > 300) fields.title = "Le titre est trop long.";
  const kind = (input.kind ?? "").trim();
  if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) {
    fields.kind = "Choisissez le type de document dans la liste.";
  }
  const yearText = String(input.year ?? "").trim();
  const year = yearText === "" ? null : Number(yearText);
  if (year !== null && (!Number.isInteger(year) || year < 1900
    || year > 2100)) {
    fields.year = "L'année s'écrit avec quatre chiffres, par exemple 2021.";
  }
  const language = (input.language ?? "fr").trim().toLowerCase() || "fr";
  if (!/^[a-z]{2}$/.test(language)) {
    fields.language = "La langue s'écrit en deux lettres : fr, en…";
  }
  const summary = (input.summary ?? "").trim();
  if (summary.length > 5000) fields.summary = "Le résumé est trop long.";
  let sourceUrl = (input.sourceUrl ?? "").trim() || null;
  if (sourceUrl && !/^https?:\/\//i.test(sourceUrl)) {
    sourceUrl = `https://${sourceUrl}`;
  }
  if (sourceUrl && (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(sourceUrl)
    || sourceUrl.length > 2000)) {
    fields.sourceUrl = "L'adresse du site n'est pas valide.";
  }
  const file = input.file ?? null;
  if (file && file.bytes.length === 0) fields.file = "Le fichier est vide.";
  if (options.requireContent && !file && !sourceUrl && !fields.sourceUrl) {
    fields.file = "Joignez un fichier ou indiquez l'adresse de la ressource.";
  }
  if (options.requireContent && !file && sourceUrl && !summary) {
    fields.summary = "Résumez la ressource : c'est ce que la recherche lira.";
  }
  if (file && file.bytes.length > MAX_FILE_BYTES) {
    fields.file = "Le fichier dépasse 20 Mo.";
  }
  const format = file && !fields.file ? safeDetect(file, fields) : null;
  if (Object.keys(fields).length > 0) {
    throw invalid("Le formulaire contient des erreurs.", fields);
  }

  return {
    values: {
      title, kind: kind as DocumentKind,
      authors: (input.authors ?? "").trim().slice(0, 500), year, language,
      summary, sourceUrl, themes: cleanList(input.themes),
    },
    file: file && format ? { ...file, format } : null,
    territoryIds: cleanList(input.territoryIds),
    organisationIds: cleanList(input.organisationIds),
  };
}

function safeDetect(
  file: { name: string; bytes: Uint8Array }, fields: Record<string, string>,
) {
  try {
    return detectFormat(file.name, file.bytes);
  } catch (error: any) {
    fields.file = error.fields?.file ?? "Ce fichier n'est pas accepté.";
    return null;
  }
}

/** The document's slug, numbered after namesakes'. */
export async function freeDocumentSlug(db: Db, title: string) {
  const base = slugify(title).replace(/^-+|-+$/g, "") || "document";
  const taken = new Set((await query<{ slug: string }>(db, sql`
    select slug from documents where slug = ${base}
      or slug like ${`${base}-%`}`)).map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;

  return slug;
}

/**
 * Links the document to its territories and refreshes its territory
 * scope: each territory and all that contain it, so a search by région
 * finds a document about one of its communes.
 */
export async function saveDocumentTerritories(
  tx: Db, documentId: string, territoryIds: string[],
) {
  await tx.delete(documentTerritories)
    .where(eq(documentTerritories.documentId, documentId));
  if (territoryIds.length > 0) {
    await tx.insert(documentTerritories).values(territoryIds.map(
      (territoryId) => ({ documentId, territoryId })));
  }
  await tx.execute(sql`update documents d set territory_scope =
    coalesce((select array_agg(distinct a order by a)
      from territories t cross join unnest(t.ancestors) a
      where t.id in (select territory_id from document_territories x
        where x.document_id = d.id)), '{}')
    where d.id = ${documentId}`);
}

async function actorOrganisationIds(db: Db, personId: string) {
  const rows = await db.select({ id: memberships.organisationId })
    .from(memberships).where(eq(memberships.personId, personId));

  return rows.map((r) => r.id);
}

/**
 * An ally deposits a document: a file whose text is read for search, or a
 * link to a resource with its summary. It waits for staff's validation.
 * A file whose text cannot be read is kept all the same, flagged.
 */
export async function depositDocument(
  ctx: Ctx, input: DocumentInput,
): Promise<DocumentRow> {
  if (!canDepositDocument(ctx.actor)) throw unauthenticated();
  const actor = ctx.actor as Extract<typeof ctx.actor, { kind: "person" }>;
  const { values, file, territoryIds, organisationIds } =
    validateDocument(input);
  if (!canReviewDocuments(actor)) {
    const mine = new Set(await actorOrganisationIds(ctx.db, actor.id));
    if (organisationIds.some((id) => !mine.has(id))) {
      throw invalid("Le formulaire contient des erreurs.", { organisations:
        "Vous ne pouvez déposer qu'au nom des structures pour lesquelles "
        + "vous agissez." });
    }
  }

  let stored: { name: string; body: string; textStatus: "extracted"
    | "not_extracted" } | null = null;
  if (file) {
    const extraction = await extractFileText(file.format, file.bytes);
    stored = { name: await storeFile(ctx.config.uploadsDir, file.bytes),
      body: extraction.text, textStatus: extraction.status };
  }

  try {
    return await ctx.db.transaction(async (tx) => {
      const [doc] = await tx.insert(documents).values({
        ...values,
        slug: await freeDocumentSlug(tx, values.title),
        body: stored?.body ?? "",
        fileName: stored?.name ?? null,
        fileOriginalName: file
          ? fileNameFor(file.name, contentTypeOf(file.format)) : null,
        fileContentType: file ? contentTypeOf(file.format) : null,
        fileSize: file ? file.bytes.length : null,
        textStatus: stored?.textStatus ?? "none",
        depositedBy: actor.id,
        createdAt: ctx.now(), updatedAt: ctx.now(),
      }).returning();
      if (organisationIds.length > 0) {
        await tx.insert(documentOrganisations).values(organisationIds.map(
          (organisationId) => ({ documentId: doc.id, organisationId })));
      }
      await saveDocumentTerritories(tx, doc.id, territoryIds);
      await recordAudit(tx, actor, { action: "document.deposited",
        subjectKind: "document", subjectId: doc.id }, ctx.now());

      return doc;
    });
  } catch (error) {
    if (stored) await removeStoredFile(ctx.config.uploadsDir, stored.name);
    if (isPgError(error, FOREIGN_KEY_VIOLATION)) {
      const field = pgConstraint(error)?.includes("territor")
        ? "territories" : "organisations";
      throw invalid("Le formulaire contient des erreurs.", { [field]:
        field === "territories" ? "Un territoire indiqué est inconnu."
          : "Une structure indiquée est inconnue." });
    }
    throw error;
  }
}

export interface DocumentPage {
  document: DocumentRow;
  organisations: { id: string; name: string; slug: string }[];
  territories: TerritorySummary[];
  canReview: boolean;
}

/** A document as the actor may see it: published, or theirs, or staff. */
export async function getDocument(ctx: Ctx, slug: string): Promise<DocumentPage> {
  const [doc] = await ctx.db.select().from(documents)
    .where(eq(documents.slug, slug));
  if (!doc || !canSeeDocument(ctx.actor, doc)) {
    throw notFound("Ce document n'est pas dans le fonds documentaire.");
  }
  const orgs = await ctx.db.select({ id: organisations.id,
    name: organisations.name, slug: organisations.slug })
    .from(documentOrganisations)
    .innerJoin(organisations,
      eq(organisations.id, documentOrganisations.organisationId))
    .where(eq(documentOrganisations.documentId, doc.id))
    .orderBy(asc(organisations.name));
  const territoryIds = (await ctx.db.select({
    id: documentTerritories.territoryId }).from(documentTerritories)
    .where(eq(documentTerritories.documentId, doc.id))).map((r) => r.id);

  return {
    document: doc, organisations: orgs,
    territories: await findTerritoriesByIds(ctx.db, territoryIds.sort()),
    canReview: canReviewDocuments(ctx.actor),
  };
}

/** The stored file of a document the actor may see. */
export async function getDocumentFile(ctx: Ctx, slug: string) {
  const { document: doc } = await getDocument(ctx, slug);
  if (!doc.fileName) throw notFound("Ce document n'a pas de fichier.");
  const bytes = await readStoredFile(ctx.config.uploadsDir, doc.fileName)
    .catch(() => { throw notFound("Le fichier de ce document est introuvable."); });

  return {
    bytes,
    contentType: doc.fileContentType ?? "application/octet-stream",
    fileName: fileNameFor(doc.fileOriginalName ?? doc.slug,
      doc.fileContentType ?? "", doc.slug),
  };
}

export interface DocumentListFilters {
  kind?: string;
  year?: number;
  language?: string;
  page?: number;
  perPage?: number;
}

/** Published documents, newest publication first. */
export async function findDocuments(
  ctx: Ctx, filters: DocumentListFilters = {},
) {
  const perPage = Math.min(Math.max(filters.perPage ?? 50, 1), 200);
  const page = Math.max(filters.page ?? 1, 1);
  const where = [eq(documents.status, "published")];
  if (filters.kind) where.push(eq(documents.kind, filters.kind as DocumentKind));
  if (filters.year) where.push(eq(documents.year, filters.year));
  if (filters.language) where.push(eq(documents.language, filters.language));
  const rows = await ctx.db.select({
    document: documents,
    total: sql<number>`count(*) over ()`.mapWith(Number),
  }).from(documents).where(and(...where))
    .orderBy(desc(documents.publishedAt), asc(documents.title))
    .limit(perPage).offset((page - 1) * perPage);
  const total = rows[0]?.total ?? 0;

  return { items: rows.map((r) => r.document), total, page,
    pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** Deposits waiting for validation, oldest first (staff only). */
export async function findSubmittedDocuments(ctx: Ctx) {
  if (!canReviewDocuments(ctx.actor)) throw forbidden();

  return ctx.db.select({ document: documents,
    depositor: people.fullName }).from(documents)
    .leftJoin(people, eq(people.id, documents.depositedBy))
    .where(eq(documents.status, "submitted"))
    .orderBy(asc(documents.createdAt));
}

/** The actor's own deposits, to follow their review. */
export async function findMyDocuments(ctx: Ctx) {
  if (ctx.actor.kind !== "person") throw unauthenticated();

  return ctx.db.select().from(documents)
    .where(eq(documents.depositedBy, ctx.actor.id))
    .orderBy(desc(documents.createdAt));
}

/** The organisations an actor may deposit for. */
export async function findDepositOrganisations(ctx: Ctx) {
  if (ctx.actor.kind !== "person") return [];
  const ids = await actorOrganisationIds(ctx.db, ctx.actor.id);
  if (ids.length === 0) return [];

  return ctx.db.select({ id: organisations.id, name: organisations.name })
    .from(organisations).where(inArray(organisations.id, ids))
    .orderBy(asc(organisations.name));
}
