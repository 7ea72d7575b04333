import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { ownValue } from "../../domain/records.ts";
import { forbidden, invalid } from "../../domain/errors.ts";
import { detectSeparator } from "../directory/csv-reading.ts";
import { decodeCsv } from "../directory/decode-csv.ts";
import { fold } from "../territories/search.ts";
import { cleanText } from "./files.ts";
import { canReviewDocuments } from "./policy.ts";
import { DOCUMENT_KIND_LABELS } from "./labels.ts";
import { documents, type DocumentKind } from "./tables.ts";
import { freeDocumentSlug, validateDocument } from "./documents.ts";

// Folded French kind → kind. "bilan" (an activity report) reads as a review.
const KINDS: Record<string, DocumentKind> = {
  ...Object.fromEntries(Object.entries(DOCUMENT_KIND_LABELS)
    .map(([kind, label]) => [fold(label), kind as DocumentKind])),
  "strategie": "strategy", "feuille de route": "strategy",
  "referentiel": "framework", "etude": "study", "texte cle": "key_text",
  "bilan": "review", "outil": "teaching_tool", "charter": "charter",
};

export interface DocumentImportReport {
  created: number;
  unchanged: number;
  refused: { line: number; title: string; message: string }[];
}

/** A file named in a summary: "Texte intégral : strategie-2021-2022.txt". */
const ATTACHED = /texte int[ée]gral\s*:\s*([\w.-]+\.txt)/i;

/**
 * Imports documents described in a CSV (title, kind, year, organisation,
 * language, summary) as published documents (staff only). A row whose
 * title is already in the base is left as it is, so the file can be
 * imported again. When a summary names its full text file, `readText`
 * gives that text, which becomes the body. Organisations are linked when
 * the directory knows them by name.
 */
export async function importDocumentsCsv(
  ctx: Ctx, bytes: Uint8Array,
  readText: (fileName: string) => string | undefined = () => undefined,
): Promise<DocumentImportReport> {
  if (!canReviewDocuments(ctx.actor)) throw forbidden();
  const { text } = decodeCsv(bytes);
  const rows = parse(text.replace(/\r\n?/g, "\n"), {
    delimiter: detectSeparator(text), columns: (h: string[]) => h.map(fold),
    relax_column_count: true, skip_empty_lines: true, trim: true,
  }) as Record<string, string>[];
  if (rows.length === 0) throw invalid("Le fichier est vide.");
  if (!("title" in rows[0] || "titre" in rows[0])) {
    throw invalid("Le fichier n'a pas de colonne « title » ou « titre ».");
  }

  const report: DocumentImportReport = { created: 0, unchanged: 0,
    refused: [] };
  await ctx.db.transaction(async (tx) => {
    for (const [index, row] of rows.entries()) {
      const title = row.title ?? row.titre ?? "";
      const line = index + 2;
      const existing = await query<{ id: string }>(tx, sql`select id
        from documents where atelier_fold(title) = ${fold(title)}`);
      if (existing.length > 0) { report.unchanged++; continue; }
      const organisation = row.organisation ?? row.structure ?? "";
      const summary = row.summary ?? row.resume ?? "";
      let parsed;
      try {
        parsed = validateDocument({
          title,
          kind: ownValue(KINDS, fold(row.kind ?? row.type ?? "")) ?? "other",
          year: row.year ?? row.annee, language: row.language ?? row.langue,
          summary, authors: organisation, sourceUrl: row.url || null,
        }, { requireContent: false });
      } catch (error: any) {
        report.refused.push({ line, title, message: Object.values(
          error.fields ?? {}).join(" ") || error.message });
        continue;
      }
      const attached = ATTACHED.exec(summary)?.[1];
      const body = attached ? cleanText(readText(attached) ?? "") : "";
      const [doc] = await tx.insert(documents).values({
        ...parsed.values,
        slug: await freeDocumentSlug(tx, parsed.values.title),
        body, status: "published", publishedAt: ctx.now(),
        createdAt: ctx.now(), updatedAt: ctx.now(),
      }).returning();
      if (organisation) {
        await tx.execute(sql`insert into document_organisations
          (document_id, organisation_id)
          select ${doc.id}::uuid, id from organisations
          where name_key = atelier_fold(${organisation})
          on conflict do nothing`);
      }
      report.created++;
    }
  });

  return report;
}
