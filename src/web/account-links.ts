/** An entry of a person's own pages, listed on `/compte`. */
export interface AccountLink {
  href: string;
  label: string;
}

/** Each feature adds the personal pages it offers here. */
export const ACCOUNT_LINKS: AccountLink[] = [];
