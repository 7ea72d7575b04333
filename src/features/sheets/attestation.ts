import { and, asc, eq, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import {
  experienceSheets, sheetAuthors, sheetOrganisations,
} from "./tables.ts";

export type AttestationSubject =
  | { personId: string } | { organisationId: string };

export interface AttestedCompetence {
  competence: string;
  sheets: { slug: string; title: string; publishedAt: Date }[];
}

/**
 * The competences that published sheets attest for a person (as one of
 * their authors) or an organisation (named on them), each with the sheets
 * that attest it. Only published sheets count: a draft, a sheet under
 * review or one withdrawn attests nothing. Competences are matched
 * exactly as written in the sheets' descriptors, since this is evidence.
 */
export async function findAttestedCompetences(
  ctx: Ctx, subject: AttestationSubject,
): Promise<AttestedCompetence[]> {
  const id = "personId" in subject ? subject.personId : subject.organisationId;
  if (!/^[0-9a-f-]{36}$/i.test(id)) return [];
  const base = ctx.db.select({
    competence: sql<string>`unnest(${experienceSheets.competences})`,
    slug: experienceSheets.slug, title: experienceSheets.title,
    publishedAt: experienceSheets.publishedAt,
  }).from(experienceSheets);
  const rows = await ("personId" in subject
    ? base.innerJoin(sheetAuthors, and(
      eq(sheetAuthors.sheetId, experienceSheets.id),
      eq(sheetAuthors.personId, id)))
    : base.innerJoin(sheetOrganisations, and(
      eq(sheetOrganisations.sheetId, experienceSheets.id),
      eq(sheetOrganisations.organisationId, id))))
    .where(eq(experienceSheets.status, "published"))
    .orderBy(asc(experienceSheets.title));

  const byCompetence = new Map<string, AttestedCompetence>();
  for (const row of rows) {
    const entry = byCompetence.get(row.competence)
      ?? { competence: row.competence, sheets: [] };
    entry.sheets.push({ slug: row.slug, title: row.title,
      publishedAt: row.publishedAt! });
    byCompetence.set(row.competence, entry);
  }

  return [...byCompetence.values()].sort((a, b) =>
    a.competence.localeCompare(b.competence, "fr"));
}
