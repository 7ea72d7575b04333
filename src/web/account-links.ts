/** An entry of a person's own pages, listed on `/compte`. */
export interface AccountLink {
  href: string;
  label: string;
}

/** Each feature adds the personal pages it offers here. */
export const ACCOUNT_LINKS: AccountLink[] = [
  { href: "/compte/profil", label: "Modifier mon profil dans l'annuaire" },
  { href: "/agenda/mes-inscriptions",
    label: "Mes inscriptions et mon agenda personnel" },
  { href: "/mes-scrutins", label: "Mes scrutins en cours" },
  { href: "/mes-initiatives", label: "Mes initiatives" },
  { href: "/fiches", label: "Mes fiches d'expérience" },
  { href: "/fonds/deposer", label: "Déposer un document" },
  { href: "/maieuticiens", label: "Maïeuticien·nes et formation" },
];
