// Test helpers of the sheets: a scene of writers, and a sheet at a stage.
import { expect } from "vitest";
import type { TestApp } from "../../../test/app.ts";
import {
  actorOf, addMembership, createOrganisation, createPerson,
} from "../../../test/factories.ts";
import { DomainError } from "../../domain/errors.ts";
import type { SheetInput } from "./input.ts";
import { publishSheet, submitSheet } from "./review.ts";
import { createSheet } from "./sheets.ts";

/** The error a promise fails with, checked to be a domain error. */
export async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e) => e);
  expect(error).toBeInstanceOf(DomainError);

  return error as DomainError;
}

/**
 * An author acting for an organisation, a co-author, a facilitator, an
 * ally who takes no part, and staff.
 */
export async function sheetScene(t: TestApp) {
  const db = t.database.db;
  const author = await createPerson(db, { fullName: "Camille Autrice" });
  const coauthor = await createPerson(db, { fullName: "Lou Coautrice" });
  const facilitator = await createPerson(db,
    { fullName: "Sacha Maïeuticien", isFacilitator: true });
  const other = await createPerson(db, { fullName: "Dominique Autre" });
  const staff = await createPerson(db, { role: "staff",
    fullName: "Alex Équipe" });
  const organisation = await createOrganisation(db);
  await addMembership(db, author.id, organisation.id);

  return {
    author, coauthor, facilitator, other, staff, organisation,
    as: (p: typeof author) => t.ctx(actorOf(p)),
  };
}
export type SheetScene = Awaited<ReturnType<typeof sheetScene>>;

export const sampleSheet = (scene: SheetScene): SheetInput => ({
  title: "Un budget participatif pour la transition",
  summary: "Comment une commune a associé ses habitants.",
  context: "Une commune **minière** du bassin.",
  actors: "Les élu·es, les habitants, une association.",
  trajectory: "2019-03 : premier atelier\n2020 : vote du budget",
  actions: "Des ateliers dans chaque quartier.",
  effects: "Plus de participation.",
  difficulties: "Le temps long.",
  lessons: "Commencer petit.",
  themes: "Énergie; Démocratie",
  competences: "Animation de concertation\nConduite du changement",
  tools: "Cartes sensibles",
  methods: "Pédagogie active",
  facilitatorId: scene.facilitator.id,
  coauthors: scene.coauthor.email!,
  organisationIds: [scene.organisation.id],
});

/** A sheet written by the scene's authors, carried to the given stage. */
export async function sheetAt(
  scene: SheetScene, stage: "draft" | "submitted" | "published",
  input: Partial<SheetInput> = {},
) {
  const sheet = await createSheet(scene.as(scene.author),
    { ...sampleSheet(scene), ...input });
  if (stage === "draft") return sheet;
  const submitted = await submitSheet(scene.as(scene.facilitator), sheet.id);
  if (stage === "submitted") return submitted;

  return publishSheet(scene.as(scene.staff), sheet.id);
}
