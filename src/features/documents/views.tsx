import { fileNameFor } from "../../domain/file-types.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate, formatShortDate } from "../../web/format.ts";
import type { DocumentPage, DocumentRow } from "./documents.ts";
import { ACCEPTED_EXTENSIONS } from "./files.ts";
import {
  DOCUMENT_KIND_LABELS, kindLabel, languageLabel, TEXT_STATUS_LABELS,
} from "./labels.ts";
import type { LibraryResult } from "./search.ts";
import type { Segment } from "./search-highlights.ts";
import type { FacetName, SavedView } from "./search-query.ts";
import { DOCUMENT_KINDS } from "./tables.ts";

export type FormValues = Record<string, string>;
export interface FormErrors { message?: string; fields?: Record<string, string> }

/** Text with the matched words in `<mark>`; everything else is text. */
export const Marked = ({ segments }: { segments: Segment[] }) => (
  <>{segments.map((s) => s.marked ? <mark>{s.text}</mark> : s.text)}</>
);

const FACET_TITLES: Record<FacetName, string> = {
  kind: "Type", theme: "Thématique", territory: "Territoire", year: "Année",
  organisation: "Structure", language: "Langue",
};

/** The filters of the search page, as strings from the query string. */
export type LibraryFilters = Partial<Record<FacetName | "q" | "source"
  | "page", string>>;

const STATUS_TEXT = {
  none: "Tapez des mots pour chercher, ou parcourez les dernières "
    + "publications.",
  stopwords: "Ces mots sont trop courants pour chercher : voici les "
    + "dernières publications.",
  words: "",
};

/** The search page: form, facets as links with counts, hits, pages. */
export function LibraryView(props: {
  result: LibraryResult; filters: LibraryFilters; action: string;
  url: (changes: LibraryFilters) => string; view?: SavedView;
}) {
  const { result, filters, url } = props;
  const active = (Object.keys(FACET_TITLES) as FacetName[])
    .filter((f) => filters[f]);

  return (
    <section class="library">
      <h1>{props.view ? props.view.title : "Fonds documentaire"}</h1>
      {props.view ? <p>{props.view.description}</p> : (
        <p>Les textes de l'Alliance et les fiches d'expérience publiées,
          {" "}cherchés ensemble. <a href="/fonds/vues/accompagnement">
            Expériences d'accompagnement, outils et méthodes
            pédagogiques</a> · <a href="/fonds/deposer">Déposer un
            document</a> · <a href="/fonds/flux.xml">Flux RSS</a></p>
      )}
      <form method="get" action={props.action} role="search"
        aria-label="Chercher dans le fonds documentaire" class="filters">
        <Field name="q" label="Chercher" type="search" value={filters.q}
          hint={'Mots, "expression exacte", -mot à exclure'} />
        {active.map((f) => (
          <input type="hidden" name={f} value={filters[f]} />
        ))}
        {filters.source && (
          <input type="hidden" name="source" value={filters.source} />)}
        <button type="submit">Chercher</button>
      </form>
      <div class="library-layout">
        <aside aria-labelledby="facets-title" class="facets">
          <h2 id="facets-title">Affiner</h2>
          {active.length > 0 && (
            <p><a href={url(Object.fromEntries(active.map(
              (f) => [f, ""])))}>Retirer tous les filtres</a></p>
          )}
          <nav aria-label="Provenance">
            <ul class="plain">
              <li><a href={url({ source: "", page: "" })}
                aria-current={!filters.source ? "true" : undefined}>
                Tout</a></li>
              <li><a href={url({ source: "documents", page: "" })}
                aria-current={filters.source === "documents" ? "true"
                  : undefined}>Documents</a></li>
              <li><a href={url({ source: "sheets", page: "" })}
                aria-current={filters.source === "sheets" ? "true"
                  : undefined}>Fiches d'expérience</a></li>
            </ul>
          </nav>
          {(Object.keys(FACET_TITLES) as FacetName[]).map((facet) => {
            const values = result.facets[facet];
            if (values.length === 0 && !filters[facet]) return null;
            return (
              <div>
                <h3>{FACET_TITLES[facet]}</h3>
                <ul class="plain">
                  {values.map((v) => {
                    const on = filters[facet] === v.value;
                    return (
                      <li>
                        <a href={url({ [facet]: on ? "" : v.value,
                          page: "" })} aria-current={on ? "true" : undefined}>
                          {on && <span class="visually-hidden">
                            Retirer le filtre : </span>}
                          {v.label}</a> <span class="muted">({v.count})</span>
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
        </aside>
        <div class="hits">
          {STATUS_TEXT[result.reading] && <p>{STATUS_TEXT[result.reading]}</p>}
          <p role="status">{result.totalCapped
            ? `Plus de ${result.total.toLocaleString("fr-FR")} résultats`
              + " (les nombres des filtres portent sur les premiers)"
            : result.total === 0 ? "Aucun résultat."
            : result.total === 1 ? "1 résultat" : `${result.total} résultats`}
            {result.pageCount > 1
              && ` · page ${result.page} sur ${result.pageCount}`}</p>
          <ol class="hit-list">
            {result.hits.map((hit) => (
              <li>
                <h2><a href={hit.source === "document" && result.q
                  ? `${hit.path}?q=${encodeURIComponent(result.q)}`
                  : hit.path}><Marked segments={hit.title} /></a></h2>
                <p class="muted">{hit.kindLabel}
                  {hit.year && ` · ${hit.year}`}
                  {hit.language !== "fr" && ` · ${languageLabel(hit.language)}`}
                  {` · publié le ${formatShortDate(hit.publishedAt)}`}</p>
                <p><Marked segments={hit.excerpt} /></p>
              </li>
            ))}
          </ol>
          {result.pageCount > 1 && (
            <nav aria-label="Pages de résultats">
              <ul class="pager">
                {result.page > 1 && <li><a href={url({
                  page: String(result.page - 1) })} rel="prev">
                  Page précédente</a></li>}
                {result.page < result.pageCount && <li><a href={url({
                  page: String(result.page + 1) })} rel="next">
                  Page suivante</a></li>}
              </ul>
            </nav>
          )}
        </div>
      </div>
    </section>
  );
}

const fileSize = (bytes: number) => bytes < 1024 * 1024
  ? `${Math.max(1, Math.round(bytes / 1024))} Ko`
  : `${(bytes / 1024 / 1024).toFixed(1).replace(".", ",")} Mo`;

/** A document's page; its text with the searched words marked. */
export function DocumentView(props: {
  page: PageCtx; data: DocumentPage; body: Segment[]; q: string;
}) {
  const { document: doc, organisations, territories } = props.data;
  const paragraphs = splitParagraphs(props.body);

  return (
    <article class="document">
      <p><a href={props.q ? `/fonds?q=${encodeURIComponent(props.q)}`
        : "/fonds"}>Retour au fonds documentaire</a></p>
      <h1>{doc.title}</h1>
      {doc.status !== "published" && (
        <p class="flash">{doc.status === "submitted"
          ? "Ce document attend la validation de l'équipe."
          : doc.status === "withdrawn"
            ? "Ce document a été retiré du fonds documentaire."
            : "Ce document n'a pas été publié."}
          {doc.reviewNote && ` ${doc.reviewNote}`}</p>
      )}
      <dl>
        <dt>Type</dt><dd>{kindLabel(doc.kind)}</dd>
        {doc.authors && <><dt>Auteurs</dt><dd>{doc.authors}</dd></>}
        {organisations.length > 0 && <><dt>Structures</dt><dd>
          {organisations.map((o, i) => <>{i > 0 && ", "}
            <a href={`/annuaire/${o.slug}`}>{o.name}</a></>)}</dd></>}
        {doc.year && <><dt>Année</dt><dd>{doc.year}</dd></>}
        <dt>Langue</dt><dd>{languageLabel(doc.language)}</dd>
        {doc.themes.length > 0 && <><dt>Thématiques</dt>
          <dd>{doc.themes.join(", ")}</dd></>}
        {territories.length > 0 && <><dt>Territoires</dt>
          <dd>{territories.map((t) => t.label).join(", ")}</dd></>}
        {doc.status === "published" && doc.publishedAt && <><dt>Publié le</dt>
          <dd>{formatDate(doc.publishedAt)}</dd></>}
      </dl>
      {doc.summary && <><h2>Résumé</h2><p>{doc.summary}</p></>}
      {(doc.fileName || doc.sourceUrl) && <h2>Consulter</h2>}
      {doc.fileName && (
        <p><a href={`/fonds/documents/${doc.slug}/fichier`} download>
          Télécharger {fileNameFor(doc.fileOriginalName ?? doc.slug,
            doc.fileContentType ?? "", doc.slug)}</a>
          {doc.fileSize && ` (${fileSize(doc.fileSize)})`}
          {doc.textStatus === "not_extracted"
            && <> · <strong>{TEXT_STATUS_LABELS.not_extracted}</strong> : la
              recherche ne lit que son titre et son résumé.</>}</p>
      )}
      {doc.sourceUrl && (
        <p><a href={doc.sourceUrl} rel="noopener nofollow">
          Voir la ressource sur son site</a></p>
      )}
      {paragraphs.length > 0 && (
        <section aria-labelledby="texte">
          <h2 id="texte">Texte du document</h2>
          {props.q && <p class="muted">Les mots cherchés
            (« {props.q} ») sont surlignés.</p>}
          <div class="document-text">
            {paragraphs.map((p) => <p><Marked segments={p} /></p>)}
          </div>
        </section>
      )}
      {props.data.canReview && doc.status === "submitted" && (
        <ReviewForms page={props.page} doc={doc} />
      )}
      {props.data.canReview && doc.status === "published" && (
        <WithdrawForm page={props.page} doc={doc} />
      )}
    </article>
  );
}

/** Marked text cut into paragraphs at blank lines. */
function splitParagraphs(segments: Segment[]): Segment[][] {
  const paragraphs: Segment[][] = [[]];
  for (const segment of segments) {
    const parts = segment.text.split(/\n\s*\n/);
    parts.forEach((text, i) => {
      if (i > 0) paragraphs.push([]);
      if (text) paragraphs[paragraphs.length - 1].push(
        { text, marked: segment.marked });
    });
  }

  return paragraphs.filter((p) => p.some((s) => s.text.trim()));
}

export function ReviewForms({ page, doc }: { page: PageCtx; doc: DocumentRow }) {
  return (
    <div class="review">
      <form method="post" action={`/admin/fonds/${doc.id}/publier`}
        class="inline">
        <Csrf page={page} />
        <button type="submit">Publier « {doc.title} »</button>
      </form>
      <form method="post" action={`/admin/fonds/${doc.id}/refuser`}>
        <Csrf page={page} />
        <div class="field">
          <label for={`note-${doc.id}`}>Message au déposant (facultatif)</label>
          <textarea id={`note-${doc.id}`} name="note" rows={2} />
        </div>
        <button type="submit" class="secondary">Refuser « {doc.title} »</button>
      </form>
    </div>
  );
}

/** Staff take a published document out of the base, saying why. */
function WithdrawForm({ page, doc }: { page: PageCtx; doc: DocumentRow }) {
  return (
    <form method="post" action={`/admin/fonds/${doc.id}/retirer`}
      class="review">
      <Csrf page={page} />
      <div class="field">
        <label for="withdraw-note">Raison du retrait (envoyée au
          déposant)</label>
        <textarea id="withdraw-note" name="note" rows={2} required />
      </div>
      <button type="submit" class="secondary">Retirer ce document du
        fonds</button>
    </form>
  );
}

/** The deposit form; the file must be chosen again after an error. */
export function DepositForm(props: {
  page: PageCtx; values: FormValues; errors?: FormErrors;
  organisations: { id: string; name: string }[];
}) {
  const { values, errors } = props;
  const e = errors?.fields ?? {};

  return (
    <section class="narrow">
      <h1>Déposer un document</h1>
      <p>Un fichier (PDF, Markdown, HTML, texte, ODT ou DOCX, 20 Mo au
        plus) ou l'adresse d'une ressource en ligne avec son résumé.
        L'équipe le valide avant sa publication.</p>
      <ErrorSummary message={errors?.message} fields={errors?.fields} />
      <form method="post" enctype="multipart/form-data"
        action={`/fonds/deposer?_csrf=${encodeURIComponent(
          props.page.csrfToken)}`}>
        <Field name="title" label="Titre" value={values.title} required
          error={e.title} />
        <div class={e.kind ? "field has-error" : "field"}>
          <label for="f-kind">Type de document</label>
          {e.kind && <p class="error" id="f-kind-error">{e.kind}</p>}
          <select id="f-kind" name="kind"
            aria-describedby={e.kind ? "f-kind-error" : undefined}>
            {DOCUMENT_KINDS.map((k) => (
              <option value={k} selected={values.kind === k}>
                {DOCUMENT_KIND_LABELS[k]}</option>
            ))}
          </select>
        </div>
        <Field name="authors" label="Auteurs" value={values.authors}
          error={e.authors} />
        <Field name="year" label="Année" type="number" value={values.year}
          error={e.year} />
        <Field name="language" label="Langue (deux lettres)"
          value={values.language ?? "fr"} error={e.language} />
        <Field name="summary" label="Résumé" multiline value={values.summary}
          error={e.summary} />
        <Field name="themes" label="Thématiques" multiline
          value={values.themes} hint="Une par ligne." error={e.themes} />
        <Field name="territories" label="Territoires" multiline
          value={values.territories} error={e.territories}
          hint="Un par ligne : commune, EPCI, département ou région." />
        {props.organisations.length > 0 && (
          <fieldset id="f-organisations">
            <legend>Au nom de</legend>
            {e.organisations && <p class="error">{e.organisations}</p>}
            {props.organisations.map((o) => (
              <div>
                <input type="checkbox" name="organisations" value={o.id}
                  id={`org-${o.id}`} checked={(values.organisations ?? "")
                    .split(",").includes(o.id)} />
                <label class="inline" for={`org-${o.id}`}>{o.name}</label>
              </div>
            ))}
          </fieldset>
        )}
        <Field name="sourceUrl" label="Adresse de la ressource en ligne"
          type="url" value={values.sourceUrl} error={e.sourceUrl} />
        <div class={e.file ? "field has-error" : "field"}>
          <label for="f-file">Fichier</label>
          <p class="hint" id="f-file-hint">
            {errors ? "Choisissez à nouveau le fichier. " : ""}
            {ACCEPTED_EXTENSIONS.join(", ")} — 20 Mo au plus.</p>
          {e.file && <p class="error" id="f-file-error">{e.file}</p>}
          <input type="file" id="f-file" name="file"
            accept={ACCEPTED_EXTENSIONS.join(",")}
            aria-describedby={`f-file-hint${e.file ? " f-file-error" : ""}`} />
        </div>
        <button type="submit">Déposer</button>
      </form>
    </section>
  );
}

/** Staff's queue of deposits to validate. */
export function ReviewQueue(props: {
  page: PageCtx;
  items: { document: DocumentRow; depositor: string | null }[];
}) {
  return (
    <section>
      <h1>Documents à valider</h1>
      {props.items.length === 0 && <p>Aucun document n'attend de
        validation.</p>}
      {props.items.map(({ document: doc, depositor }) => (
        <article class="card">
          <h2><a href={`/fonds/documents/${doc.slug}`}>{doc.title}</a></h2>
          <p class="muted">{kindLabel(doc.kind)} · déposé par
            {" "}{depositor ?? "une personne partie"} le
            {" "}{formatShortDate(doc.createdAt)}
            {doc.fileName && ` · ${TEXT_STATUS_LABELS[doc.textStatus]}`}</p>
          {doc.summary && <p>{doc.summary}</p>}
          <ReviewForms page={props.page} doc={doc} />
        </article>
      ))}
    </section>
  );
}
