import type { FastifyRequest } from "fastify";
import {
  resolveTerritory, type TerritorySummary,
} from "../territories/search.ts";
import type { PendingChoices } from "./edit-views.tsx";
import { splitList } from "./labels.ts";
import type { OrganisationInput } from "./organisation-input.ts";
import type { OrganisationRow } from "./organisations.ts";
import type { FormValues } from "./views.tsx";

/** The form state of a saved organisation. */
export function organisationValues(
  org: OrganisationRow, commune: TerritorySummary | null,
  territories: TerritorySummary[],
): FormValues {
  return {
    version: String(org.version), name: org.name, kind: org.kind ?? "",
    description: org.description, themes: org.themes.join("\n"),
    skills: org.skills.join("\n"), website: org.website ?? "",
    address: org.address ?? "", postalCode: org.postalCode ?? "",
    city: org.city ?? "", commune: commune?.label ?? "",
    territories: territories.map((t) => t.label).join("\n"),
    email: org.email ?? "", phone: org.phone ?? "",
    emailVisibility: org.emailVisibility,
    phoneVisibility: org.phoneVisibility,
    addressVisibility: org.addressVisibility,
    charterSignatory: org.charterSignatory ? "on" : "",
    charterSignedOn: org.charterSignedOn ?? "", staffNotes: org.staffNotes,
  };
}

/**
 * Turns the territory fields as typed into ids. A name shared by several
 * territories, or unknown, sends the form back with the candidates to
 * choose from as radio buttons: it works without JavaScript.
 */
export async function resolveTerritoryFields(
  request: FastifyRequest, values: FormValues,
) {
  const db = request.server.database.db;
  const fields: Record<string, string> = {};
  const pending: PendingChoices = { territories: [] };
  let communeId: string | null = null;

  if (values.communeChoice) {
    communeId = values.communeChoice;
  } else if (values.commune?.trim()) {
    const found = await resolveTerritory(db, values.commune,
      { kinds: ["commune"] });
    if (found.status === "found") communeId = found.territory.id;
    else if (found.status === "ambiguous") {
      pending.commune = found.candidates;
      fields.commune = "Précisez la commune parmi celles proposées.";
    } else fields.commune = "Cette commune est inconnue.";
  }

  const territoryIds: string[] = [];
  const lines = (values.territories ?? "").split(/\r?\n/)
    .map((s) => s.trim()).filter(Boolean);
  for (const [index, text] of lines.entries()) {
    const choice = values[`choice_${index}`];
    if (choice && values[`choiceFor_${index}`] === text) {
      territoryIds.push(choice);
      continue;
    }
    const found = await resolveTerritory(db, text);
    if (found.status === "found") territoryIds.push(found.territory.id);
    else if (found.status === "ambiguous") {
      pending.territories.push({ index, text, candidates: found.candidates });
      fields.territories = "Précisez les territoires parmi ceux proposés.";
    } else fields.territories = `Territoire inconnu : « ${text} ».`;
  }

  return { communeId, territoryIds, fields, pending };
}

/** What the use cases take, from the form and its resolved territories. */
export function organisationInput(
  values: FormValues, communeId: string | null, territoryIds: string[],
): OrganisationInput {
  return {
    name: values.name ?? "", kind: values.kind || null,
    description: values.description, themes: splitList(values.themes),
    skills: splitList(values.skills), website: values.website,
    address: values.address, postalCode: values.postalCode,
    city: values.city, communeId, territoryIds,
    charterSignatory: values.charterSignatory === "on",
    charterSignedOn: values.charterSignedOn, email: values.email,
    phone: values.phone, emailVisibility: values.emailVisibility,
    phoneVisibility: values.phoneVisibility,
    addressVisibility: values.addressVisibility,
    staffNotes: values.staffNotes,
  };
}
