import { Csrf, type PageCtx } from "../../web/layout.tsx";
import { formatShortDate } from "../../web/format.ts";
import type { InitiativeDetail } from "./initiative-detail.ts";
import type { PoolingOpportunity } from "./pooling-opportunities.ts";
import type { Suggestion } from "./pooling-suggestions.ts";

export function SuggestionsPage(
  { page, detail, suggestions, canDecide }: { page: PageCtx;
    detail: InitiativeDetail; suggestions: Suggestion[];
    canDecide: boolean },
) {
  const base = `/initiatives/${detail.initiative.slug}`;
  // An exchange is opened in the name of a published initiative only.
  const canTalk = canDecide && detail.initiative.status === "published";

  return (
    <section>
      <h1>Opportunités de mutualisation</h1>
      <p>Pour <a href={base}>{detail.initiative.title}</a>. Atelier
        rapproche les offres et les besoins, les thèmes et les territoires.</p>
      {canDecide && !canTalk && (
        <p class="hint">Vous pourrez proposer un échange une fois
          l'initiative publiée.</p>)}
      {suggestions.length === 0 && (
        <p>Aucune suggestion pour l'instant : précisez les offres, les besoins
          et les thèmes de l'initiative.</p>)}
      <ol class="suggestions">
        {suggestions.map((s) => (
          <li>
            <h2><a href={s.kind === "initiative" ? `/initiatives/${s.slug}`
              : `/annuaire/${s.slug}`}>{s.name}</a></h2>
            <p class="hint">{s.kind === "initiative" ? "Initiative"
              : "Structure"}</p>
            <ul>{s.reasons.map((r) => <li>{r}</li>)}</ul>
            {s.talkedAt ? (
              <p>Échange engagé le {formatShortDate(s.talkedAt)} : retrouvez
                le contact dans <a href="/mes-initiatives">Mes initiatives</a>.
              </p>
            ) : canDecide && (
              <form method="post" action={`${base}/mutualisation`}>
                <Csrf page={page} />
                <input type="hidden" name="targetKind" value={s.kind} />
                <input type="hidden" name="targetId" value={s.id} />
                {canTalk && <><button type="submit" name="decision"
                  value="talk">Échangeons</button>{" "}</>}
                <button type="submit" name="decision" value="not_relevant"
                  class="secondary">Pas pertinent</button>
              </form>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "Let's talk" exchanges, for staff and for those taking part. */
export function OpportunityTable(
  { rows, caption }: { rows: PoolingOpportunity[]; caption: string },
) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead><tr>
        <th scope="col">Date</th><th scope="col">Initiative</th>
        <th scope="col">Demandé par</th><th scope="col">Avec</th>
        <th scope="col">Contact</th><th scope="col">Raisons</th>
      </tr></thead>
      <tbody>
        {rows.map((o) => (
          <tr>
            <td>{formatShortDate(o.createdAt)}</td>
            <td><a href={`/initiatives/${o.initiativeSlug}`}>
              {o.initiativeTitle}</a></td>
            <td>{o.requesterName}{o.requesterEmail && <> — <a
              href={`mailto:${o.requesterEmail}`}>{o.requesterEmail}</a></>}</td>
            <td><a href={o.targetKind === "initiative"
              ? `/initiatives/${o.targetSlug}` : `/annuaire/${o.targetSlug}`}>
              {o.targetName}</a></td>
            <td>{o.targetContact ?? <a href={o.targetKind === "initiative"
              ? `/initiatives/${o.targetSlug}` : `/annuaire/${o.targetSlug}`}>
              Voir sa fiche</a>}</td>
            <td>{o.reasons.join(" ; ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OpportunitiesPage({ rows }: { rows: PoolingOpportunity[] }) {
  return (
    <section>
      <h1>Opportunités de mutualisation engagées</h1>
      <p>Chaque « Échangeons » demandé dans l'Alliance, pour les recueillir
        et les faire connaître.</p>
      {rows.length === 0 ? <p>Aucun échange engagé pour l'instant.</p>
        : <OpportunityTable rows={rows} caption="Échanges engagés" />}
    </section>
  );
}
