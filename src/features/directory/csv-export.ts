import { asc, sql } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import { toSpreadsheetCsv } from "../../domain/spreadsheet.ts";
import { territories } from "../territories/tables.ts";
import { KIND_LABELS } from "./labels.ts";
import { canSee } from "./policy.ts";
import { presentOrganisation } from "./present.ts";
import { organisations, organisationTerritories } from "./tables.ts";

const frenchDate = (iso: string | null) =>
  iso ? iso.split("-").reverse().join("/") : "";

/**
 * The directory as a CSV file that French Excel opens cleanly (UTF-8 with
 * BOM, semicolons, CRLF), holding only what the actor may see. Its
 * headings are those the import reads, so an export can be imported again.
 */
export async function exportOrganisationsCsv(ctx: Ctx): Promise<Buffer> {
  const rows = await ctx.db.select({
    org: organisations,
    communeCode: sql<string | null>`(select code from territories c
      where c.id = organisations.commune_id)`,
    territories: sql<string[]>`coalesce((select array_agg(
        case when t.kind = 'region' then 'R' || t.code else t.code end
        order by t.id)
      from ${organisationTerritories} ot
      join ${territories} t on t.id = ot.territory_id
      where ot.organisation_id = organisations.id), '{}')`,
  }).from(organisations).orderBy(asc(organisations.nameKey));
  const staff = canSee(ctx.actor, "staff");
  const headings = ["Nom", "Type", "Description", "Adresse", "Code postal",
    "Ville", "Code INSEE", "Thématiques", "Compétences", "Territoires",
    "Signataire de la charte", "Date de signature", "Site web", "Courriel",
    "Téléphone", ...(staff ? ["Commentaire"] : [])];

  const records = rows.map((row) => {
    const o = presentOrganisation(ctx.actor, row.org);
    const cells = [o.name, o.kind ? KIND_LABELS[o.kind] : "", o.description,
      o.address ?? "", o.postalCode ?? "", o.city ?? "",
      row.communeCode ?? "", o.themes.join("; "), o.skills.join("; "),
      row.territories.join("; "), o.charterSignatory ? "oui" : "non",
      frenchDate(o.charterSignedOn), o.website ?? "", o.email ?? "",
      o.phone ?? "", ...(staff ? [o.staffNotes ?? ""] : [])];

    return cells;
  });

  return toSpreadsheetCsv(headings, records);
}

