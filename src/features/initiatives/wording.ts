import type {
  InitiativeStage, InitiativeStatus, PoolingKind,
} from "./tables.ts";

// French names shown on the pages and in the reasons of a pooling
// suggestion.

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
