import type { ComponentChildren } from "preact";
import { VISIBILITIES } from "../../db/columns.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate } from "../../web/format.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import type { InitiativeSummary } from "../initiatives/initiatives.ts";
import { OrganisationInitiatives } from "../initiatives/views.tsx";
import type { HeldLabel } from "../labels/register.ts";
import { LabelBadges } from "../labels/views.tsx";
import type { AttestedCompetence } from "../sheets/attestation.ts";
import { AttestedCompetences } from "../sheets/views.tsx";
import type { TerritorySummary } from "../territories/search.ts";
import type { ImportReport } from "./csv-import.ts";
import { KIND_LABELS, VISIBILITY_LABELS } from "./labels.ts";
import type { OrganisationPage } from "./organisation-queries.ts";
import type { PresentedOrganisation } from "./present.ts";
import { ORGANISATION_KINDS } from "./tables.ts";

/** What a form shows: the user's own input, as typed. */
export type FormValues = Record<string, string>;

export interface FormErrors {
  message?: string;
  fields?: Record<string, string>;
}

const Markdown = ({ text }: { text: string }) => text
  ? <div class="prose" dangerouslySetInnerHTML={{
    __html: renderMarkdown(text) }} />
  : null;

const dateOf = (iso: string) => formatDate(new Date(`${iso}T12:00:00Z`));

const href = (url: string) => /^https?:\/\//.test(url) ? url : `https://${url}`;

function Select(props: {
  name: string; label: string; value?: string;
  options: [string, string][]; error?: string;
}) {
  const id = `f-${props.name}`;

  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      {props.error && <p class="error" id={`${id}-error`}>{props.error}</p>}
      <select id={id} name={props.name}
        aria-describedby={props.error ? `${id}-error` : undefined}>
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === (props.value ?? "")}>
            {label}</option>
        ))}
      </select>
    </div>
  );
}

const visibilityOptions = VISIBILITIES.map(
  (v) => [v, `Visible par ${VISIBILITY_LABELS[v]}`] as [string, string]);

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

const Contact = ({ label, children }: {
  label: string; children: ComponentChildren;
}) => <><dt>{label}</dt><dd>{children}</dd></>;

/** An organisation's profile. */
export function OrganisationView(
  { data, attested = [], initiatives = [], labels = [] }: {
    page: PageCtx; data: OrganisationPage; attested?: AttestedCompetence[];
    initiatives?: InitiativeSummary[]; labels?: HeldLabel[];
  },
) {
  const o = data.organisation;

  return (
    <article>
      <h1>{o.name}</h1>
      <p class="muted">{o.kind ? KIND_LABELS[o.kind] : "Structure"}
        {o.charterSignatory && (o.charterSignedOn
          ? ` · signataire de la Charte depuis le ${dateOf(o.charterSignedOn)}`
          : " · signataire de la Charte")}</p>
      <LabelBadges labels={labels} />
      {data.canEdit && (
        <p><a class="button secondary" href={`/annuaire/${o.slug}/modifier`}>
          Modifier la fiche</a></p>
      )}
      <Markdown text={o.description} />
      <h2>Coordonnées</h2>
      <dl>
        {o.address && <Contact label="Adresse">{o.address}</Contact>}
        {(o.postalCode || o.city) && (
          <Contact label="Ville">{[o.postalCode, o.city].filter(Boolean)
            .join(" ")}</Contact>
        )}
        {data.commune && <Contact label="Commune">{data.commune.label}
          </Contact>}
        {o.website && <Contact label="Site web">
          <a href={href(o.website)}>{o.website}</a></Contact>}
        {o.email && <Contact label="Courriel">
          <a href={`mailto:${o.email}`}>{o.email}</a></Contact>}
        {o.phone && <Contact label="Téléphone">{o.phone}</Contact>}
      </dl>
      {o.themes.length > 0 && <>
        <h2>Thématiques</h2>
        <ul class="tags">{o.themes.map((t) => (
          <li><a href={`/annuaire?theme=${encodeURIComponent(t)}`}>{t}</a>
          </li>))}</ul>
      </>}
      {o.skills.length > 0 && <>
        <h2>Compétences</h2>
        <ul class="tags">{o.skills.map((t) => <li>{t}</li>)}</ul>
      </>}
      <AttestedCompetences items={attested} />
      {data.territories.length > 0 && <>
        <h2>Territoires d'intervention</h2>
        <ul>{data.territories.map((t) => (
          <li><a href={`/annuaire?territoire=${t.id}`}>{t.label}</a></li>
        ))}</ul>
      </>}
      <h2>Personnes</h2>
      {data.people.length === 0 ? <p>Aucune personne liée.</p> : (
        <ul>{data.people.map((p) => (
          <li><a href={`/personnes/${p.id}`}>{p.fullName}</a>
            {p.role && ` — ${p.role}`}
            {p.email && <> · <a href={`mailto:${p.email}`}>{p.email}</a></>}
            {p.phone && ` · ${p.phone}`}</li>
        ))}</ul>
      )}
      <OrganisationInitiatives initiatives={initiatives} />
      {data.canSeeParticipation && (
        <p><a href={`/agenda/participations/structures/${o.id}`}>
          Historique de participation aux rencontres</a></p>
      )}
      {o.staffNotes && <>
        <h2>Notes de l'équipe</h2>
        <p>{o.staffNotes}</p>
      </>}
    </article>
  );
}

export interface PendingChoices {
  commune?: TerritorySummary[];
  territories: { index: number; text: string;
    candidates: TerritorySummary[] }[];
}

function Choices(props: {
  name: string; legend: string; candidates: TerritorySummary[];
  extra?: ComponentChildren;
}) {
  return (
    <fieldset class="field">
      <legend>{props.legend}</legend>
      {props.extra}
      {props.candidates.map((c, i) => (
        <div>
          <input type="radio" id={`${props.name}-${i}`} name={props.name}
            value={c.id} checked={i === 0} />
          <label for={`${props.name}-${i}`}>{c.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** Creating or editing an organisation; re-rendered with errors as typed. */
export function OrganisationForm(props: {
  page: PageCtx; action: string; values: FormValues; errors?: FormErrors;
  pending?: PendingChoices; staff: boolean; submitLabel: string;
}) {
  const { values: v, errors = {}, pending } = props;
  const f = errors.fields ?? {};

  return (
    <form method="post" action={props.action} novalidate>
      <ErrorSummary message={errors.message} fields={errors.fields} />
      <Csrf page={props.page} />
      <input type="hidden" name="version" value={v.version ?? ""} />
      <Field name="name" label="Nom" value={v.name} error={f.name} required />
      <Select name="kind" label="Type de structure" value={v.kind}
        error={f.kind} options={[["", "Non précisé"], ...ORGANISATION_KINDS
          .map((k) => [k, KIND_LABELS[k]] as [string, string])]} />
      <Field name="description" label="Présentation" multiline
        value={v.description} hint="Texte en Markdown." />
      <Field name="themes" label="Thématiques" multiline value={v.themes}
        hint="Une par ligne, ou séparées par des points-virgules." />
      <Field name="skills" label="Compétences" multiline value={v.skills}
        hint="Une par ligne, ou séparées par des points-virgules." />
      <Field name="website" label="Site web" type="url" value={v.website}
        error={f.website} />
      <h2>Adresse</h2>
      <Field name="address" label="Adresse" value={v.address} />
      <Field name="postalCode" label="Code postal" value={v.postalCode}
        error={f.postalCode} />
      <Field name="city" label="Ville" value={v.city} />
      <Field name="commune" label="Commune (territoire)" value={v.commune}
        error={f.commune} hint="Nom de la commune, par exemple
          « Loos-en-Gohelle (62) »." />
      {pending?.commune && (
        <Choices name="communeChoice" legend="Quelle commune ?"
          candidates={pending.commune} />
      )}
      <Select name="addressVisibility" label="Qui voit l'adresse ?"
        value={v.addressVisibility} options={visibilityOptions}
        error={f.addressVisibility} />
      <h2>Territoires d'intervention</h2>
      <Field name="territories" label="Territoires" multiline
        value={v.territories} error={f.territories}
        hint="Un par ligne : commune, EPCI, département ou région." />
      {pending?.territories.map((p) => (
        <Choices name={`choice_${p.index}`}
          legend={`Quel territoire pour « ${p.text} » ?`}
          candidates={p.candidates}
          extra={<input type="hidden" name={`choiceFor_${p.index}`}
            value={p.text} />} />
      ))}
      <h2>Contacts</h2>
      <Field name="email" label="Courriel" type="email" value={v.email}
        error={f.email} />
      <Select name="emailVisibility" label="Qui voit le courriel ?"
        value={v.emailVisibility} options={visibilityOptions}
        error={f.emailVisibility} />
      <Field name="phone" label="Téléphone" type="tel" value={v.phone} />
      <Select name="phoneVisibility" label="Qui voit le téléphone ?"
        value={v.phoneVisibility} options={visibilityOptions}
        error={f.phoneVisibility} />
      {props.staff && <>
        <h2>Charte et suivi</h2>
        <div class="field">
          <input type="checkbox" id="f-charterSignatory"
            name="charterSignatory" value="on"
            checked={v.charterSignatory === "on"} />
          <label for="f-charterSignatory">Signataire de la Charte</label>
        </div>
        <Field name="charterSignedOn" label="Date de signature" type="date"
          value={v.charterSignedOn} error={f.charterSignedOn} />
        <Field name="staffNotes" label="Notes de l'équipe" multiline
          value={v.staffNotes} hint="Visibles par l'équipe seulement." />
      </>}
      <button type="submit">{props.submitLabel}</button>
    </form>
  );
}

/** Staff link people to an organisation and unlink them. */
export function MembersSection(props: {
  page: PageCtx; slug: string;
  members: { id: string; fullName: string; role: string }[];
  values?: FormValues; errors?: FormErrors;
}) {
  const f = props.errors?.fields ?? {};

  return (
    <section aria-labelledby="membres">
      <h2 id="membres">Personnes liées</h2>
      <ul>
        {props.members.map((m) => (
          <li>
            <a href={`/personnes/${m.id}`}>{m.fullName}</a>
            {m.role && ` — ${m.role}`}{" "}
            <form method="post" class="inline"
              action={`/annuaire/${props.slug}/membres/${m.id}/retirer`}>
              <Csrf page={props.page} />
              <button type="submit" class="link">
                Retirer {m.fullName}</button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={`/annuaire/${props.slug}/membres`}>
        <Csrf page={props.page} />
        <Field name="memberEmail" label="Courriel de la personne" type="email"
          value={props.values?.memberEmail} error={f.memberEmail} />
        <Field name="memberRole" label="Rôle" value={props.values?.memberRole}
          hint="Par exemple « chargée de mission »." />
        <button type="submit">Lier cette personne</button>
      </form>
    </section>
  );
}

/** A person's profile in the directory. */
export function PersonView(props: {
  data: {
    person: { id: string; fullName: string; bio: string;
      email: string | null; phone: string | null };
    organisations: { name: string; slug: string; role: string }[];
    canEdit: boolean;
    canSeeParticipation: boolean;
  };
  attested?: AttestedCompetence[];
}) {
  const { person, organisations, canEdit } = props.data;

  return (
    <article>
      <h1>{person.fullName}</h1>
      {canEdit && <p><a href="/compte/profil">Modifier mon profil</a></p>}
      <Markdown text={person.bio} />
      {(person.email || person.phone) && <>
        <h2>Coordonnées</h2>
        <dl>
          {person.email && <Contact label="Courriel">
            <a href={`mailto:${person.email}`}>{person.email}</a></Contact>}
          {person.phone && <Contact label="Téléphone">{person.phone}
            </Contact>}
        </dl>
      </>}
      <h2>Structures</h2>
      {organisations.length === 0 ? <p>Aucune structure.</p> : (
        <ul>{organisations.map((o) => (
          <li><a href={`/annuaire/${o.slug}`}>{o.name}</a>
            {o.role && ` — ${o.role}`}</li>
        ))}</ul>
      )}
      {props.data.canSeeParticipation && (
        <p><a href={`/agenda/participations/personnes/${person.id}`}>
          Historique de participation aux rencontres</a></p>
      )}
      <AttestedCompetences items={props.attested ?? []} />
    </article>
  );
}

/** "Edit my profile": the person's own fields and their roles. */
export function ProfileForm(props: {
  page: PageCtx; values: FormValues; errors?: FormErrors;
  organisations: { organisationId: string; name: string }[];
}) {
  const { values: v, errors = {} } = props;
  const f = errors.fields ?? {};

  return (
    <form method="post" action="/compte/profil" novalidate>
      <ErrorSummary message={errors.message} fields={errors.fields} />
      <Csrf page={props.page} />
      <input type="hidden" name="version" value={v.version} />
      <Field name="fullName" label="Nom" value={v.fullName}
        error={f.fullName} required autocomplete="name" />
      <Field name="bio" label="Présentation" multiline value={v.bio}
        hint="Texte en Markdown." />
      <Field name="phone" label="Téléphone" type="tel" value={v.phone}
        autocomplete="tel" />
      <Select name="phoneVisibility" label="Qui voit votre téléphone ?"
        value={v.phoneVisibility} options={visibilityOptions}
        error={f.phoneVisibility} />
      <Select name="emailVisibility" label="Qui voit votre courriel ?"
        value={v.emailVisibility} options={visibilityOptions}
        error={f.emailVisibility} />
      {props.organisations.length > 0 && <>
        <h2>Mes structures</h2>
        {props.organisations.map((o) => (
          <Field name={`role_${o.organisationId}`}
            label={`Mon rôle à ${o.name}`}
            value={v[`role_${o.organisationId}`]} />
        ))}
      </>}
      <button type="submit">Enregistrer mon profil</button>
    </form>
  );
}

const OUTCOMES: Record<string, string> = {
  created: "créée", changed: "complétée", unchanged: "inchangée",
  refused: "refusée",
};

/** What an import did, or would do for a preview, row by row. */
export function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <section aria-labelledby="rapport">
      <h2 id="rapport">{report.dryRun ? "Aperçu de l'import"
        : "Rapport d'import"}</h2>
      <p>{report.created} créée(s), {report.changed} complétée(s),
        {" "}{report.unchanged} inchangée(s), {report.refused} refusée(s).
        {" "}Fichier lu en {report.encoding === "utf-8" ? "UTF-8"
          : "Windows-1252"}, séparateur {report.separator === "\t" ? "tabulation"
            : `« ${report.separator} »`}.</p>
      {report.unknownHeadings.length > 0 && (
        <p>Colonnes ignorées : {report.unknownHeadings.join(", ")}.</p>
      )}
      <table>
        <thead><tr><th scope="col">Ligne</th><th scope="col">Nom</th>
          <th scope="col">Résultat</th><th scope="col">Détails</th></tr></thead>
        <tbody>
          {report.lines.map((l) => (
            <tr>
              <td>{l.line}</td><td>{l.name}</td><td>{OUTCOMES[l.outcome]}</td>
              <td>{[l.message, ...l.warnings].join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
