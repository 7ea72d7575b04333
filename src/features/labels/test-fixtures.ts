import type { TestApp } from "../../../test/app.ts";
import {
  actorOf, addMembership, createInitiative, createOrganisation, createPerson,
} from "../../../test/factories.ts";
import { parisDay, toParisLocal } from "../../domain/time.ts";
import { createCollective } from "./collectives.ts";
import { createLabel } from "./labels.ts";
import { proposeInitiative } from "./proposals.ts";

const DAY = 86_400_000;

/** A Paris day some days from now, "2026-03-01". */
export const dayFromNow = (days: number) =>
  parisDay(new Date(Date.now() + days * DAY));

/**
 * Sets the scene of a labelling: staff, a label with two criteria, a
 * collective of `members` allies, a published initiative carried by an
 * organisation with one member, and (unless `propose` is false) a proposal
 * whose ballot is open until tomorrow.
 */
export async function setUpLabelling(t: TestApp, options: {
  members?: number; quorumKind?: "share" | "count"; quorumValue?: number;
  majority?: "simple" | "two_thirds";
} = {}) {
  const db = t.database.db;
  const staff = await createPerson(db, { role: "staff" });
  const staffCtx = t.ctx(actorOf(staff));
  const voters = await Promise.all(Array.from({ length: options.members ?? 3 },
    (_, i) => createPerson(db, { fullName: `Membre ${i}` })));
  const label = await createLabel(staffCtx, {
    name: `De la Fabrique ${Math.random().toString(36).slice(2, 8)}`,
    criteria: "Objectif 1\nObjectif 2",
  });
  const collective = await createCollective(staffCtx, {
    name: "Collectif de test", startsOn: dayFromNow(-1), endsOn: dayFromNow(365),
    quorumKind: options.quorumKind ?? "share",
    quorumValue: String(options.quorumValue ?? 50),
    majority: options.majority ?? "simple",
    memberEmails: voters.map((v) => v.email).join("\n"),
  });
  const carrier = await createPerson(db, { fullName: "Porteuse" });
  const organisation = await createOrganisation(db);
  await addMembership(db, carrier.id, organisation.id);
  const initiative = await createInitiative(db,
    { carriers: [organisation.id] });

  return { staff, staffCtx, voters, label, collective, carrier, organisation,
    initiative };
}

/** Proposes the scene's initiative; returns the proposal with its ballot. */
export async function proposeScene(
  t: TestApp, scene: Awaited<ReturnType<typeof setUpLabelling>>,
) {
  return proposeInitiative(scene.staffCtx, {
    labelId: scene.label.id, initiativeId: scene.initiative.id,
    collectiveId: scene.collective.id,
    closesAt: toParisLocal(new Date(Date.now() + DAY)),
    readings: ["Répond à l'objectif 1.", "Répond à l'objectif 2."],
  });
}
