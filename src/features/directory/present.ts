import type { Actor } from "../../domain/context.ts";
import type { people } from "../accounts/tables.ts";
import { canSee } from "./policy.ts";
import type { organisations } from "./tables.ts";

type OrganisationRow = typeof organisations.$inferSelect;
type PersonRow = typeof people.$inferSelect;

/**
 * An organisation as an actor may see it: contact fields they may not read
 * are null, internal notes are staff-only. Pages, the API and the CSV
 * export all go through this one function.
 */
export function presentOrganisation(actor: Actor, org: OrganisationRow) {
  const staff = canSee(actor, "staff");
  const showAddress = canSee(actor, org.addressVisibility);

  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    kind: org.kind,
    description: org.description,
    themes: org.themes,
    skills: org.skills,
    website: org.website,
    address: showAddress ? org.address : null,
    postalCode: org.postalCode,
    city: org.city,
    communeId: org.communeId,
    charterSignatory: org.charterSignatory,
    charterSignedOn: org.charterSignedOn,
    email: canSee(actor, org.emailVisibility) ? org.email : null,
    phone: canSee(actor, org.phoneVisibility) ? org.phone : null,
    staffNotes: staff ? org.staffNotes : null,
  };
}

export type PresentedOrganisation = ReturnType<typeof presentOrganisation>;

/** A person's directory profile, with only the contacts the actor may see. */
export function presentPerson(
  actor: Actor,
  person: Pick<PersonRow, "id" | "fullName" | "bio" | "email" | "phone"
    | "emailVisibility" | "phoneVisibility">,
) {
  return {
    id: person.id,
    fullName: person.fullName,
    bio: person.bio,
    email: canSee(actor, person.emailVisibility) ? person.email : null,
    phone: canSee(actor, person.phoneVisibility) ? person.phone : null,
  };
}

export type PresentedPerson = ReturnType<typeof presentPerson>;
