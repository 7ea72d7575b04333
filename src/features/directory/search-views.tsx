import { Field, type PageCtx } from "../../web/layout.tsx";
import type { TerritorySummary } from "../territories/search.ts";
import { KIND_LABELS } from "./labels.ts";
import type { PresentedOrganisation } from "./present.ts";
import { ORGANISATION_KINDS } from "./tables.ts";
import { Select } from "./views.tsx";

export interface DirectoryFilters {
  q: string; theme: string; skill: string; kind: string; territoire: string;
  signataire: string;
}

/** The directory: search form, results and pages. */
export function DirectoryView(props: {
  page: PageCtx; filters: DirectoryFilters;
  result: { items: PresentedOrganisation[]; total: number; page: number;
    pageCount: number };
  facets: { themes: string[]; skills: string[] };
  territory: TerritorySummary | null;
  territoryChoices: TerritorySummary[];
  territoryUnknown?: boolean;
  pageUrl: (page: number) => string;
  choiceUrl: (territoryId: string) => string;
}) {
  const { filters, result, page } = props;
  const staff = page.actor.kind === "person" && page.actor.role === "staff";

  return (
    <section>
      <h1>Annuaire des allié·es</h1>
      {staff && (
        <p>
          <a class="button" href="/annuaire/nouvelle">Ajouter une structure</a>
          {" "}<a href="/admin/annuaire/import">Importer un tableur</a>
        </p>
      )}
      <form method="get" action="/annuaire" class="filters" role="search"
        aria-label="Rechercher dans l'annuaire">
        <Field name="q" label="Rechercher" type="search" value={filters.q}
          hint="Nom, ville, thématique…" />
        <Select name="theme" label="Thématique" value={filters.theme}
          options={[["", "Toutes"],
            ...props.facets.themes.map((t) => [t, t] as [string, string])]} />
        <Select name="skill" label="Compétence" value={filters.skill}
          options={[["", "Toutes"],
            ...props.facets.skills.map((t) => [t, t] as [string, string])]} />
        <Select name="kind" label="Type de structure" value={filters.kind}
          options={[["", "Tous"], ...ORGANISATION_KINDS.map(
            (k) => [k, KIND_LABELS[k]] as [string, string])]} />
        <Field name="territoire" label="Territoire" value={
          props.territory?.label ?? filters.territoire}
          hint="Commune, EPCI, département ou région" />
        <Select name="signataire" label="Charte" value={filters.signataire}
          options={[["", "Toutes"], ["oui", "Signataires"],
            ["non", "Non signataires"]]} />
        <button type="submit">Rechercher</button>
      </form>
      {props.territoryChoices.length > 0 && (
        <div class="errors" role="status">
          <p>Plusieurs territoires correspondent à « {filters.territoire} » :
            précisez lequel.</p>
          <ul>
            {props.territoryChoices.map((c) => (
              <li><a href={props.choiceUrl(c.id)}>{c.label}</a></li>
            ))}
          </ul>
        </div>
      )}
      {props.territoryUnknown && (
        <div class="errors" role="status">
          <p>Aucun territoire ne correspond à « {filters.territoire} ».</p>
        </div>
      )}
      <p role="status">
        {result.total === 0 ? "Aucune structure ne correspond."
          : result.total === 1 ? "1 structure"
          : `${result.total} structures`}
        {" · "}<a href="/annuaire/export.csv">Exporter en CSV</a>
      </p>
      <ul class="cards">
        {result.items.map((o) => (
          <li>
            <h2><a href={`/annuaire/${o.slug}`}>{o.name}</a></h2>
            <p class="muted">
              {[o.kind && KIND_LABELS[o.kind], o.city].filter(Boolean)
                .join(" · ")}
            </p>
            {o.themes.length > 0 && (
              <ul class="tags" aria-label="Thématiques">
                {o.themes.map((t) => <li>{t}</li>)}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {result.pageCount > 1 && (
        <nav aria-label="Pages de résultats">
          <ul class="tags">
            {result.page > 1 && <li><a href={props.pageUrl(result.page - 1)}>
              Page précédente</a></li>}
            <li aria-current="page">Page {result.page} sur {result.pageCount}
            </li>
            {result.page < result.pageCount && (
              <li><a href={props.pageUrl(result.page + 1)}>Page suivante</a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </section>
  );
}
