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
  { href: "/annuaire/nouvelle", label: "Nouvelle structure",
    description: "Ajouter une structure à l'annuaire." },
  { href: "/admin/annuaire/import", label: "Importer l'annuaire",
    description: "Importer un tableur (CSV) de structures, avec aperçu." },
  { href: "/agenda/nouveau", label: "Nouvel évènement",
    description: "Rendez-vous, permanence, formation, assemblée…" },
  { href: "/admin/agenda/import", label: "Importer un agenda",
    description: "Importer un fichier iCalendar (.ics)." },
  { href: "/admin/labels", label: "Labels",
    description: "Les labels et leurs critères." },
  { href: "/admin/collectifs", label: "Collectifs de labellisation",
    description: "Membres, période, quorum et majorité." },
  { href: "/admin/propositions", label: "Propositions de label",
    description: "Proposer une initiative, clore un scrutin, motiver." },
  { href: "/admin/journal", label: "Journal",
    description: "Toutes les étapes des labels et des scrutins, en CSV." },
  { href: "/doctrine/propositions", label: "Doctrine",
    description: "Ouvrir les débats et les scrutins des textes proposés ; "
      + "cahiers des charges des textes validés." },
  { href: "/admin/fonds", label: "Documents à valider",
    description: "Publier ou refuser les documents déposés dans le fonds "
      + "documentaire." },
  { href: "/admin/initiatives", label: "Initiatives à modérer",
    description: "Publier, dépublier ou archiver les initiatives." },
  { href: "/admin/mutualisations", label: "Mutualisations",
    description: "Les échanges ouverts entre initiatives et structures." },
  { href: "/admin/fiches", label: "Fiches d'expérience",
    description: "Relire, publier ou renvoyer les fiches soumises." },
  { href: "/admin/formations", label: "Formations et maïeuticien·nes",
    description: "Demandes de formation, formations suivies, "
      + "disponibilités et fiches accompagnées." },
];
