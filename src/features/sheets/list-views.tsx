import type { PageCtx } from "../../web/layout.tsx";
import { formatShortDate } from "../../web/format.ts";
import type { SheetListItem } from "./sheets.ts";
import { stateOf } from "./views.tsx";

function SheetList({ items, showStatus }: {
  items: SheetListItem[]; showStatus?: boolean;
}) {
  return (
    <ul class="agenda-list">
      {items.map((s) => (
        <li>
          <h3><a href={`/fiches/${s.slug}`}>{s.title}</a></h3>
          <p class="muted">{s.authors.join(", ") || "Sans auteur·e"}
            {s.status === "published" && s.publishedAt
              && ` · publiée le ${formatShortDate(s.publishedAt)}`}
            {showStatus && ` · ${stateOf(s)}`}</p>
          {s.summary && <p>{s.summary}</p>}
        </li>
      ))}
    </ul>
  );
}

/** Published sheets, and the signed-in person's sheets in progress. */
export function SheetsIndexPage({ page, published, mine }: {
  page: PageCtx; published: SheetListItem[]; mine: SheetListItem[];
}) {
  return (
    <section>
      <h1>Fiches d'expérience</h1>
      <p>Ce que des allié·es ont fait et appris, écrit avec un·e
        maïeuticien·ne selon le cycle de médiation.</p>
      {page.actor.kind === "person" ? (
        <p><a class="button" href="/fiches/nouvelle">Écrire une fiche</a>
          {" "}<a href="/maieuticiens">Les maïeuticien·nes</a></p>
      ) : <p><a href="/connexion?suite=%2Ffiches">Connectez-vous</a> pour
        écrire une fiche.</p>}
      {mine.length > 0 && <>
        <h2>Mes fiches en cours</h2>
        <SheetList items={mine} showStatus />
      </>}
      <h2>Fiches publiées</h2>
      {published.length === 0 ? <p>Aucune fiche publiée pour l'instant.</p>
        : <SheetList items={published} />}
    </section>
  );
}

/** Staff's review queue. */
export function ReviewQueueView({ items }: { items: SheetListItem[] }) {
  return (
    <section>
      <h1>Relecture des fiches</h1>
      {items.length === 0 ? <p>Aucune fiche en attente.</p>
        : <SheetList items={items} showStatus />}
    </section>
  );
}
