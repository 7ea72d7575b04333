import type { Visibility } from "../../db/columns.ts";
import type { OrganisationKind } from "./tables.ts";

export const KIND_LABELS: Record<OrganisationKind, string> = {
  local_authority: "collectivité",
  association: "association",
  company: "entreprise",
  research: "recherche",
  consultancy: "bureau d'études/conseil",
  public_body: "établissement public",
  collective: "collectif",
  individual: "personne",
};

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  public: "tout le monde",
  allies: "les allié·es",
  staff: "l'équipe seulement",
};

/** Reads a list typed in one field: "énergie; climat" or one per line. */
export function splitList(text: string | null | undefined): string[] {
  const items = (text ?? "").split(/[;\n\r]+/).map((s) => s.trim())
    .filter(Boolean);

  return [...new Set(items)];
}
