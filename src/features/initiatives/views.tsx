import { ORGANISATION_KINDS } from "../directory/tables.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDateTime, formatShortDate } from "../../web/format.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import type { InitiativeFilter } from "./extensions.ts";
import type { CarrierRef } from "./carriers.ts";
import type { HistoryEntry } from "./history.ts";
import type { InitiativeDetail } from "./initiative-detail.ts";
import type { InitiativeSummary } from "./initiative-lists.ts";
import type { PoolingOpportunity } from "./pooling-opportunities.ts";
import type { Suggestion } from "./pooling-suggestions.ts";
import {
  INITIATIVE_STAGES, POOLING_KINDS, type InitiativeStage, type PoolingKind,
} from "./tables.ts";
import {
  territoryLabel, type TerritoryRef,
} from "./territory-input.ts";
import { POOLING_KIND_LABELS, STAGE_LABELS, STATUS_LABELS } from "./wording.ts";

export const CARRIER_KIND_LABELS: Record<string, string> = {
  local_authority: "Collectivité", association: "Association",
  company: "Entreprise", research: "Recherche", consultancy: "Bureau d'études",
  public_body: "Établissement public", collective: "Collectif",
  individual: "Personne",
};

const HISTORY_LABELS: Record<string, string> = {
  created: "Création", edited: "Modification", submitted: "Soumission",
  published: "Publication", unpublished: "Retrait de la publication",
  archived: "Archivage",
};

const imageUrl = (file: string) => `/fichiers/initiatives/${file}`;

const Tags = ({ items }: { items: string[] }) => items.length ? (
  <ul class="tags">{items.map((t) => <li>{t}</li>)}</ul>
) : null;

/** One initiative in a list: the list page and an organisation's profile. */
export function InitiativeCard(
  { item, badges = [], headingLevel = 2 }: { item: InitiativeSummary;
    badges?: string[]; headingLevel?: 2 | 3 },
) {
  const Heading = headingLevel === 2 ? "h2" : "h3";

  return (
    <li>
      <Heading><a href={`/initiatives/${item.slug}`}>{item.title}</a></Heading>
      <p class="hint">{STAGE_LABELS[item.stage]}
        {item.status !== "published" && ` · ${STATUS_LABELS[item.status]}`}
        {item.carriers.length > 0 && ` · ${item.carriers.join(", ")}`}</p>
      {item.summary && <p>{item.summary}</p>}
      <Tags items={[...badges, ...item.themes]} />
    </li>
  );
}

/**
 * The initiatives of an organisation, for its profile page (fed by
 * `findInitiativesOfOrganisation`).
 */
export function OrganisationInitiatives(
  { initiatives }: { initiatives: InitiativeSummary[] },
) {
  return (
    <section aria-labelledby="initiatives-structure">
      <h2 id="initiatives-structure">Initiatives</h2>
      {initiatives.length === 0 ? <p>Aucune initiative publiée.</p> : (
        <ul class="cards">
          {initiatives.map((item) => (
            <InitiativeCard item={item} headingLevel={3} />))}
        </ul>
      )}
    </section>
  );
}

export interface ListQuery {
  q?: string; theme?: string; territoire?: string; stage?: string;
  kind?: string; page?: string; [param: string]: string | undefined;
}

export function InitiativeListPage(props: {
  query: ListQuery;
  items: InitiativeSummary[];
  total: number;
  page: number;
  pageSize: number;
  themes: string[];
  territory: TerritoryRef | null;
  territoryChoices: TerritoryRef[];
  extraFilters: { filter: InitiativeFilter;
    options: { value: string; label: string }[] }[];
  badges: Map<string, string[]>;
  signedIn: boolean;
}) {
  const { query } = props;
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const link = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v && k !== "page") {
      params.set(k, v);
    }
    params.set("page", String(page));

    return `/initiatives?${params}`;
  };

  return (
    <section>
      <h1>Initiatives des allié·es</h1>
      <p>Ce que font les allié·es, et ce qu'ils et elles peuvent mutualiser.
        {" "}<a href="/initiatives/flux.xml">Flux RSS</a>
        {" · "}<a href="/initiatives/flux.atom">Flux Atom</a>
        {props.signedIn && <>{" · "}
          <a href="/initiatives/nouvelle">Déclarer une initiative</a>{" · "}
          <a href="/mes-initiatives">Mes initiatives</a></>}</p>
      <form method="get" action="/initiatives" role="search"
        class="filters">
        <Field name="q" label="Rechercher" type="search" value={query.q}
          hint="Titre, description, offres et besoins ; accents et fautes de
            frappe tolérés." />
        <div class="field">
          <label for="f-theme">Thème</label>
          <select id="f-theme" name="theme">
            <option value="">Tous les thèmes</option>
            {props.themes.map((t) => (
              <option value={t} selected={t === query.theme}>{t}</option>))}
          </select>
        </div>
        <Field name="territoire" label="Territoire" value={props.territory
          ? territoryLabel(props.territory) : query.territoire}
          hint="Commune, intercommunalité, département ou région." />
        {props.territoryChoices.length > 0 && (
          <fieldset>
            <legend>Plusieurs territoires portent ce nom :</legend>
            {props.territoryChoices.map((t) => (
              <label class="choice">
                <input type="radio" name="territoire" value={t.id} />
                {" "}{territoryLabel(t)}
              </label>
            ))}
          </fieldset>
        )}
        <div class="field">
          <label for="f-stage">Étape</label>
          <select id="f-stage" name="stage">
            <option value="">Toutes les étapes</option>
            {INITIATIVE_STAGES.map((s) => (
              <option value={s} selected={s === query.stage}>
                {STAGE_LABELS[s]}</option>))}
          </select>
        </div>
        <div class="field">
          <label for="f-kind">Structure porteuse</label>
          <select id="f-kind" name="kind">
            <option value="">Tous les types</option>
            {ORGANISATION_KINDS.map((k) => (
              <option value={k} selected={k === query.kind}>
                {CARRIER_KIND_LABELS[k]}</option>))}
          </select>
        </div>
        {props.extraFilters.map(({ filter, options }) => (
          <div class="field">
            <label for={`f-${filter.param}`}>{filter.label}</label>
            <select id={`f-${filter.param}`} name={filter.param}>
              <option value="">Tous</option>
              {options.map((o) => (
                <option value={o.value} selected={o.value === query[filter.param]}>
                  {o.label}</option>))}
            </select>
          </div>
        ))}
        <button type="submit">Filtrer</button>
      </form>
      <p role="status">{props.total === 0 ? "Aucune initiative trouvée."
        : `${props.total} initiative${props.total > 1 ? "s" : ""}`}</p>
      <ul class="cards">
        {props.items.map((item) => (
          <InitiativeCard item={item} badges={props.badges.get(item.id)} />))}
      </ul>
      {pages > 1 && (
        <nav aria-label="Pages de résultats">
          {props.page > 1 && <a href={link(props.page - 1)}>Page précédente</a>}
          {" "}Page {props.page} sur {pages}{" "}
          {props.page < pages && <a href={link(props.page + 1)}>Page suivante</a>}
        </nav>
      )}
    </section>
  );
}

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

export function UnpublishForm(
  { page, slug, error }: { page: PageCtx; slug: string; error?: string },
) {
  return (
    <form method="post" action={`/initiatives/${slug}/retirer`}>
      <Csrf page={page} />
      <Field name="reason" label="Raison du retrait (envoyée aux porteur·ses)"
        required multiline error={error} />
      <button type="submit" class="danger">Retirer de la publication</button>
    </form>
  );
}

/** What the form shows: the user's input as typed, or the saved values. */
export interface FormValues {
  title: string;
  summary: string;
  description: string;
  carrierIds: string[];
  contactPersonId: string;
  territories: string;
  themes: string;
  stage: string;
  startsOn: string;
  endsOn: string;
  links: string;
  offers: { kind: string; text: string }[];
  needs: { kind: string; text: string }[];
  /** Staff only: another organisation, by name. */
  otherCarrier: string;
}

export const emptyForm = (): FormValues => ({
  title: "", summary: "", description: "", carrierIds: [],
  contactPersonId: "", territories: "", themes: "", stage: "idea",
  startsOn: "", endsOn: "", links: "", offers: [], needs: [],
  otherCarrier: "",
});

function ItemRows(
  { prefix, legend, items, errors }: { prefix: "offer" | "need";
    legend: string; items: { kind: string; text: string }[];
    errors: Record<string, string> },
) {
  const rows = [...items, { kind: "", text: "" }, { kind: "", text: "" }]
    .slice(0, 12);
  const word = prefix === "offer" ? "Offre" : "Besoin";

  return (
    <fieldset>
      <legend>{legend}</legend>
      {rows.map((item, n) => (
        <div class="pooling-row">
          <div class="field">
            <label for={`f-${prefix}Kind_${n}`}>{word} {n + 1} : type</label>
            <select id={`f-${prefix}Kind_${n}`} name={`${prefix}Kind_${n}`}>
              {POOLING_KINDS.map((k) => (
                <option value={k} selected={k === item.kind}>
                  {POOLING_KIND_LABELS[k]}</option>))}
            </select>
          </div>
          <Field name={`${prefix}Text_${n}`} label={`${word} ${n + 1} : en
            quelques mots`} value={item.text}
            error={errors[`${prefix}Text_${n}`]} />
        </div>
      ))}
    </fieldset>
  );
}

export function InitiativeForm(props: {
  page: PageCtx;
  action: string;
  heading: string;
  values: FormValues;
  carriers: CarrierRef[];
  people: { id: string; fullName: string }[];
  staff: boolean;
  hasImage: boolean;
  error?: string;
  errors?: Record<string, string>;
  territoryChoices?: { entry: string; candidates: TerritoryRef[] }[];
}) {
  const { values: v } = props;
  const errors = props.errors ?? {};
  const separator = props.action.includes("?") ? "&" : "?";
  // Multipart bodies are read by the handler: the token rides in the URL.
  const action = `${props.action}${separator}_csrf=${
    encodeURIComponent(props.page.csrfToken)}`;

  return (
    <section>
      <h1>{props.heading}</h1>
      <ErrorSummary message={props.error}
        fields={props.errors && Object.keys(props.errors).length
          ? props.errors : undefined} />
      <form method="post" action={action} enctype="multipart/form-data">
        <Field name="title" label="Titre" required value={v.title}
          error={errors.title} />
        <Field name="summary" label="Résumé" value={v.summary}
          hint="Une ou deux phrases, 500 caractères au plus."
          error={errors.summary} />
        <Field name="description" label="Description" multiline
          value={v.description} error={errors.description}
          hint="Mise en forme Markdown : **gras**, listes, liens." />
        <fieldset id="f-carrierIds">
          <legend>Structures porteuses (obligatoire)</legend>
          {errors.carrierIds && <p class="error">{errors.carrierIds}</p>}
          {props.carriers.length === 0 && !props.staff && (
            <p>Vous ne faites partie d'aucune structure : demandez à
              l'équipe de vous y rattacher.</p>)}
          {props.carriers.map((c) => (
            <label class="choice">
              <input type="checkbox" name="carrierIds" value={c.id}
                checked={v.carrierIds.includes(c.id)} />{" "}{c.name}
            </label>
          ))}
          {props.staff && (
            <Field name="otherCarrier" label="Autre structure (nom exact)"
              value={v.otherCarrier} error={errors.otherCarrier} />)}
        </fieldset>
        {props.people.length > 0 && (
          <div class="field">
            <label for="f-contactPersonId">Personne à contacter</label>
            {errors.contactPersonId && (
              <p class="error">{errors.contactPersonId}</p>)}
            <select id="f-contactPersonId" name="contactPersonId">
              <option value="">Moi-même</option>
              {props.people.map((p) => (
                <option value={p.id} selected={p.id === v.contactPersonId}>
                  {p.fullName}</option>))}
            </select>
          </div>
        )}
        <Field name="territories" label="Territoires" multiline
          value={v.territories} error={errors.territories}
          hint="Un par ligne : nom de commune, d'intercommunalité, de
            département ou de région." />
        {(props.territoryChoices ?? []).map((a) => (
          <fieldset>
            <legend>Quel territoire « {a.entry} » ?</legend>
            {a.candidates.map((c) => (
              <label class="choice">
                <input type="radio" name="territoryPicks" value={c.id} />
                {" "}{territoryLabel(c)}
              </label>
            ))}
          </fieldset>
        ))}
        <Field name="themes" label="Thèmes" value={v.themes}
          error={errors.themes} hint="Séparés par des virgules." />
        <div class="field">
          <label for="f-stage">Étape</label>
          <select id="f-stage" name="stage">
            {INITIATIVE_STAGES.map((s: InitiativeStage) => (
              <option value={s} selected={s === v.stage}>{STAGE_LABELS[s]}
              </option>))}
          </select>
        </div>
        <Field name="startsOn" label="Début" type="date" value={v.startsOn}
          error={errors.startsOn} />
        <Field name="endsOn" label="Fin" type="date" value={v.endsOn}
          error={errors.endsOn} />
        <Field name="links" label="Liens" multiline value={v.links}
          error={errors.links}
          hint="Un par ligne : « Site | https://… » ou l'adresse seule." />
        <ItemRows prefix="offer" legend="Ce que vous pouvez partager"
          items={v.offers} errors={errors} />
        <ItemRows prefix="need" legend="Ce que vous cherchez"
          items={v.needs} errors={errors} />
        <div class={errors.image ? "field has-error" : "field"}>
          <label for="f-image">Image{props.hasImage
            && " (laisser vide pour garder l'image actuelle)"}</label>
          <p class="hint" id="f-image-hint">PNG, JPEG ou WebP, 2 Mo au plus.</p>
          {errors.image && <p class="error" id="f-image-error">{errors.image}</p>}
          <input type="file" id="f-image" name="image"
            accept="image/png,image/jpeg,image/webp"
            aria-describedby={errors.image ? "f-image-hint f-image-error"
              : "f-image-hint"} />
        </div>
        <button type="submit">Enregistrer</button>
      </form>
    </section>
  );
}

export function SuggestionsPage(
  { page, detail, suggestions, canDecide }: { page: PageCtx;
    detail: InitiativeDetail; suggestions: Suggestion[];
    canDecide: boolean },
) {
  const base = `/initiatives/${detail.initiative.slug}`;

  return (
    <section>
      <h1>Opportunités de mutualisation</h1>
      <p>Pour <a href={base}>{detail.initiative.title}</a>. Atelier
        rapproche les offres et les besoins, les thèmes et les territoires.</p>
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
                <button type="submit" name="decision" value="talk">
                  Échangeons</button>{" "}
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

function OpportunityTable(
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
            <td>{o.targetContact ?? "—"}</td>
            <td>{o.reasons.join(" ; ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MyInitiativesPage(
  { items, contacts }: { items: InitiativeSummary[];
    contacts: PoolingOpportunity[] },
) {
  return (
    <section>
      <h1>Mes initiatives</h1>
      <p><a class="button" href="/initiatives/nouvelle">
        Déclarer une initiative</a></p>
      {items.length === 0 ? <p>Aucune initiative pour vos structures.</p> : (
        <ul class="cards">
          {items.map((item) => <InitiativeCard item={item} />)}
        </ul>
      )}
      <h2>Échanges de mutualisation</h2>
      {contacts.length === 0 ? <p>Aucun échange engagé.</p>
        : <OpportunityTable rows={contacts}
          caption="Échanges engagés par vous ou vers vous" />}
    </section>
  );
}

export function ModerationPage(
  { page, items }: { page: PageCtx; items: InitiativeSummary[] },
) {
  const submitted = items.filter((i) => i.status === "submitted");
  const published = items.filter((i) => i.status === "published");

  return (
    <section>
      <h1>Modération des initiatives</h1>
      <p><a href="/admin/mutualisations">Opportunités de mutualisation
        engagées</a></p>
      <h2>À publier</h2>
      {submitted.length === 0 ? <p>Aucune initiative en attente.</p> : (
        <ul>
          {submitted.map((i) => (
            <li>
              <a href={`/initiatives/${i.slug}`}>{i.title}</a>
              {" "}({i.carriers.join(", ")}){" "}
              <form method="post" action={`/initiatives/${i.slug}/publier`}
                class="inline">
                <Csrf page={page} />
                <button type="submit">Publier</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>Publiées</h2>
      <ul>
        {published.map((i) => (
          <li><a href={`/initiatives/${i.slug}`}>{i.title}</a>
            {i.publishedAt && ` — publiée le ${formatShortDate(i.publishedAt)}`}
          </li>
        ))}
      </ul>
    </section>
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
