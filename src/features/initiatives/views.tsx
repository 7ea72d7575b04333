import { ORGANISATION_KINDS } from "../directory/tables.ts";
import { Field } from "../../web/layout.tsx";
import type { InitiativeFilter } from "./extensions.ts";
import type { InitiativeSummary } from "./initiative-lists.ts";
import type { PoolingOpportunity } from "./pooling-opportunities.ts";
import { OpportunityTable } from "./pooling-views.tsx";
import { INITIATIVE_STAGES } from "./tables.ts";
import { territoryLabel, type TerritoryRef } from "./territory-input.ts";
import { STAGE_LABELS, STATUS_LABELS } from "./wording.ts";

export const CARRIER_KIND_LABELS: Record<string, string> = {
  local_authority: "Collectivité", association: "Association",
  company: "Entreprise", research: "Recherche", consultancy: "Bureau d'études",
  public_body: "Établissement public", collective: "Collectif",
  individual: "Personne",
};

/** The badges and themes of an initiative. */
export const Tags = ({ items }: { items: string[] }) => items.length ? (
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
