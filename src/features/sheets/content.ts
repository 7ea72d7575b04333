import { markdownToText } from "../../web/markdown.ts";
import type {
  SheetSnapshot, SheetText, TrajectoryStep,
} from "./tables.ts";

/** The Markdown sections of a sheet, in the order of the mediation cycle. */
export const TEXT_SECTIONS = [
  "context", "actors", "actions", "effects", "difficulties", "lessons",
] as const;
export type TextSection = (typeof TEXT_SECTIONS)[number];

/** French headings of every part of a sheet, shared by pages and diffs. */
export const SECTION_TITLES: Record<string, string> = {
  summary: "Résumé",
  context: "Contexte et territoire",
  actors: "Acteurs impliqués",
  trajectory: "Trajectoire",
  actions: "Ce qui a été fait, et comment",
  effects: "Effets observés",
  difficulties: "Difficultés et limites",
  lessons: "Enseignements et principes transférables",
  descriptors: "Descripteurs",
  themes: "Thématiques",
  competences: "Compétences mises en œuvre",
  tools: "Outils",
  methods: "Méthodes pédagogiques",
  territories: "Territoires",
  authors: "Auteur·es",
  organisations: "Structures",
  facilitator: "Maïeuticien·ne",
  title: "Titre",
};


export const trajectoryText = (steps: TrajectoryStep[]) =>
  steps.map((s) => `${s.date} : ${s.text}`).join("\n");

/**
 * The plain text of every section and descriptor, which the document
 * search indexes (title and summary are weighted apart). Territory labels
 * are given by the caller, who has resolved them.
 */
export function sheetBodyText(
  sheet: SheetText, territoryLabels: string[],
): string {
  const parts = [
    markdownToText(sheet.context),
    markdownToText(sheet.actors),
    trajectoryText(sheet.trajectory),
    markdownToText(sheet.actions),
    markdownToText(sheet.effects),
    markdownToText(sheet.difficulties),
    markdownToText(sheet.lessons),
    sheet.themes.join(" ; "),
    sheet.competences.join(" ; "),
    sheet.tools.join(" ; "),
    sheet.methods.join(" ; "),
    territoryLabels.join(" ; "),
  ];

  return parts.filter(Boolean).join("\n\n");
}

/** A snapshot as plain parts to compare, each under its heading. */
export function snapshotParts(s: SheetSnapshot): [string, string][] {
  return [
    ["title", s.title],
    ["summary", s.summary],
    ["authors", s.authors.join(", ")],
    ["organisations", s.organisations.join(", ")],
    ["facilitator", s.facilitator],
    ["context", s.context],
    ["actors", s.actors],
    ["trajectory", trajectoryText(s.trajectory)],
    ["actions", s.actions],
    ["effects", s.effects],
    ["difficulties", s.difficulties],
    ["lessons", s.lessons],
    ["themes", s.themes.join(" ; ")],
    ["competences", s.competences.join(" ; ")],
    ["tools", s.tools.join(" ; ")],
    ["methods", s.methods.join(" ; ")],
    ["territories", s.territories.join(" ; ")],
  ];
}
