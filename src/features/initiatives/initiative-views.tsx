import { Csrf, type PageCtx } from "../../web/layout.tsx";
import { formatDateTime, formatShortDate } from "../../web/format.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import type { HistoryEntry } from "./history.ts";
import type { InitiativeDetail } from "./initiative-detail.ts";
import { UnpublishForm } from "./publication-views.tsx";
import type { PoolingKind } from "./tables.ts";
import { territoryLabel } from "./territory-input.ts";
import { Tags } from "./views.tsx";
import {
  POOLING_KIND_LABELS, STAGE_LABELS, STATUS_LABELS,
} from "./wording.ts";

const HISTORY_LABELS: Record<string, string> = {
  created: "Création", edited: "Modification", submitted: "Soumission",
  published: "Publication", unpublished: "Retrait de la publication",
  archived: "Archivage",
};

const imageUrl = (file: string) => `/fichiers/initiatives/${file}`;

function PoolingList(
  { title, items }: { title: string; items: { kind: PoolingKind;
    text: string }[] },
) {
  return (
    <div>
      <h3>{title}</h3>
      {items.length === 0 ? <p>Rien d'indiqué.</p> : (
        <ul>
          {items.map((i) => (
            <li><strong>{POOLING_KIND_LABELS[i.kind]}</strong> : {i.text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function InitiativePage(
  { page, detail, history, badges }: { page: PageCtx;
    detail: InitiativeDetail; history: HistoryEntry[]; badges: string[] },
) {
  const { initiative: i } = detail;
  const base = `/initiatives/${i.slug}`;

  return (
    <article>
      <h1>{i.title}</h1>
      <p class="hint">{STAGE_LABELS[i.stage]} · {STATUS_LABELS[i.status]}
        {i.startsOn && ` · depuis le ${formatShortDate(new Date(i.startsOn))}`}
        {i.endsOn && ` · jusqu'au ${formatShortDate(new Date(i.endsOn))}`}</p>
      <Tags items={[...badges, ...i.themes]} />
      {i.imageFile && (
        <img class="initiative-image" src={imageUrl(i.imageFile)} alt="" />)}
      {i.summary && <p class="summary">{i.summary}</p>}
      {i.description && (
        <div class="markdown"
          dangerouslySetInnerHTML={{ __html: renderMarkdown(i.description) }} />
      )}
      <h2>Qui et où</h2>
      <dl>
        <dt>Structures porteuses</dt>
        <dd>{detail.carriers.map((c, n) => (
          <>{n > 0 && ", "}<a href={`/annuaire/${c.slug}`}>{c.name}</a></>))}</dd>
        {detail.territories.length > 0 && <>
          <dt>Territoires</dt>
          <dd>{detail.territories.map(territoryLabel).join(", ")}</dd>
        </>}
        {detail.contact && <>
          <dt>Contact</dt>
          <dd>{detail.contact.fullName}
            {detail.contact.email && <> — <a href={`mailto:${detail.contact.email}`}>
              {detail.contact.email}</a></>}</dd>
        </>}
      </dl>
      {i.links.length > 0 && <>
        <h2>Liens</h2>
        <ul>{i.links.map((l) => (
          <li><a href={l.url} rel="noopener nofollow ugc">{l.label}</a></li>))}
        </ul>
      </>}
      <h2>À mutualiser</h2>
      <PoolingList title="Ce que les porteur·ses proposent" items={detail.offers} />
      <PoolingList title="Ce qu'ils et elles cherchent" items={detail.needs} />
      {page.actor.kind === "person" && (
        <p><a class="button" href={`${base}/mutualisation`}>
          Voir les opportunités de mutualisation</a></p>
      )}
      {(detail.canEdit || detail.canModerate) && (
        <section aria-labelledby="gestion">
          <h2 id="gestion">Gestion</h2>
          {detail.canEdit && (
            <p><a href={`${base}/modifier`}>Modifier l'initiative</a></p>)}
          {detail.canEdit && i.status === "draft" && (
            <form method="post" action={`${base}/soumettre`}>
              <Csrf page={page} />
              <button type="submit">Soumettre à l'équipe pour publication</button>
            </form>
          )}
          {detail.canModerate && i.status !== "published" && (
            <form method="post" action={`${base}/publier`}>
              <Csrf page={page} />
              <button type="submit">Publier</button>
            </form>
          )}
          {detail.canModerate && i.status === "published" && (
            <UnpublishForm page={page} slug={i.slug} />
          )}
          {detail.canEdit && i.status !== "archived" && (
            <form method="post" action={`${base}/archiver`}>
              <Csrf page={page} />
              <button type="submit" class="secondary">Archiver</button>
            </form>
          )}
          <h3>Historique de publication</h3>
          <ul>
            {history.map((h) => (
              <li>{formatDateTime(h.createdAt)} — {HISTORY_LABELS[h.action]}
                {h.personName && ` par ${h.personName}`}
                {` (${STATUS_LABELS[h.status].toLowerCase()})`}
                {h.reason && ` : ${h.reason}`}</li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
