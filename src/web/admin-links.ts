/** An entry of the staff's administration index (`/admin`). */
export interface AdminLink {
  href: string;
  label: string;
  description: string;
}

/** Each feature adds its staff pages here. */
export const ADMIN_LINKS: AdminLink[] = [
  { href: "/admin/adhesions", label: "Demandes d'adhésion",
    description: "Accepter ou refuser les personnes qui demandent à "
      + "rejoindre l'Alliance." },
  { href: "/admin/invitations", label: "Inviter une personne",
    description: "Envoyer une invitation par e-mail, comme allié·e ou "
      + "membre de l'équipe." },
  { href: "/admin/personnes", label: "Comptes",
    description: "Rôles, maïeuticien·nes, comptes désactivés." },
  { href: "/admin/fonds", label: "Documents à valider",
    description: "Publier ou refuser les documents déposés dans le fonds "
      + "documentaire." },
];
