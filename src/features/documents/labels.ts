import { ownValue } from "../../domain/records.ts";
import type { DocumentKind } from "./tables.ts";

/** Kinds of documents as the alliance names them. */
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  charter: "charte",
  statutes: "statuts",
  strategy: "stratégie",
  framework: "référentiel",
  study: "étude",
  key_text: "texte clé",
  finding: "constat",
  proposals: "propositions",
  review: "revue",
  teaching_tool: "outil pédagogique",
  other: "autre",
};

/** What a search result may be besides a document. */
export const SHEET_KIND = "experience_sheet";

/** Every kind a search facet can show, sheets included. */
export function kindLabel(kind: string): string {
  if (kind === SHEET_KIND) return "fiche d'expérience";

  return ownValue(DOCUMENT_KIND_LABELS, kind) ?? kind;
}

export const LANGUAGE_LABELS: Record<string, string> = {
  fr: "français", en: "anglais", de: "allemand", es: "espagnol",
  it: "italien", nl: "néerlandais", br: "breton", oc: "occitan",
};

export const languageLabel = (code: string) =>
  ownValue(LANGUAGE_LABELS, code) ?? code;

export const TEXT_STATUS_LABELS = {
  none: "pas de fichier",
  extracted: "texte extrait",
  not_extracted: "texte non extrait",
} as const;
