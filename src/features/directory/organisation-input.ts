import { VISIBILITIES, type Visibility } from "../../db/columns.ts";
import { invalid } from "../../domain/errors.ts";
import { ORGANISATION_KINDS, type OrganisationKind } from "./tables.ts";

/** What a form, the API or an import gives to describe an organisation. */
export interface OrganisationInput {
  name: string;
  kind?: string | null;
  description?: string;
  themes?: string[];
  skills?: string[];
  website?: string | null;
  address?: string | null;
  postalCode?: string | null;
  city?: string | null;
  communeId?: string | null;
  territoryIds?: string[];
  charterSignatory?: boolean;
  /** "2020-02-12" */
  charterSignedOn?: string | null;
  email?: string | null;
  phone?: string | null;
  emailVisibility?: string;
  phoneVisibility?: string;
  addressVisibility?: string;
  staffNotes?: string;
}

const blank = (v: string | null | undefined) => {
  const s = (v ?? "").trim();
  return s === "" ? null : s;
};

const cleanList = (items: string[] | undefined) =>
  [...new Set((items ?? []).map((s) => s.trim()).filter(Boolean))];

/** Checks an input and returns the columns to write, or throws invalid. */
export function validateOrganisation(input: OrganisationInput) {
  const fields: Record<string, string> = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Indiquez le nom de la structure.";
  else if (name.length > 200) fields.name = "Le nom est trop long.";
  const kind = blank(input.kind);
  if (kind && !(ORGANISATION_KINDS as readonly string[]).includes(kind)) {
    fields.kind = "Choisissez un type de structure de la liste.";
  }
  const email = blank(input.email);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    fields.email = "L'adresse électronique n'est pas valide.";
  }
  let website = blank(input.website);
  if (website && !/^https?:\/\//i.test(website)) website = `https://${website}`;
  if (website && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(website)) {
    fields.website = "L'adresse du site n'est pas valide.";
  }
  const postalCode = blank(input.postalCode);
  if (postalCode && !/^\d[0-9AB]\d{3}$/.test(postalCode)) {
    fields.postalCode = "Le code postal compte cinq chiffres.";
  }
  const signedOn = blank(input.charterSignedOn);
  if (signedOn && (!/^\d{4}-\d{2}-\d{2}$/.test(signedOn)
    || Number.isNaN(Date.parse(signedOn)))) {
    fields.charterSignedOn = "La date de signature n'est pas valide.";
  }
  const visibility = (key: "emailVisibility" | "phoneVisibility"
    | "addressVisibility", fallback: Visibility) => {
    const v = input[key] ?? fallback;
    if (!(VISIBILITIES as readonly string[]).includes(v)) {
      fields[key] = "Choisissez qui peut voir ce champ.";
    }
    return v as Visibility;
  };
  const values = {
    name,
    kind: kind as OrganisationKind | null,
    description: (input.description ?? "").trim(),
    themes: cleanList(input.themes),
    skills: cleanList(input.skills),
    website,
    address: blank(input.address),
    postalCode,
    city: blank(input.city),
    communeId: blank(input.communeId),
    charterSignatory: Boolean(input.charterSignatory || signedOn),
    charterSignedOn: signedOn,
    email,
    phone: blank(input.phone),
    emailVisibility: visibility("emailVisibility", "allies"),
    phoneVisibility: visibility("phoneVisibility", "allies"),
    addressVisibility: visibility("addressVisibility", "public"),
    staffNotes: (input.staffNotes ?? "").trim(),
  };
  if (Object.keys(fields).length > 0) {
    throw invalid("Le formulaire contient des erreurs.", fields);
  }

  return { values, territoryIds: cleanList(input.territoryIds) };
}
