import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatShortDate } from "../../web/format.ts";
import { SECTION_TITLES, TEXT_SECTIONS } from "./content.ts";
import type { SheetFormChoices } from "./sheets.ts";
import { str, type FormState } from "./views.tsx";

const list = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v : v ? [v] : [];

/** Whether the person filling the form may change the sheet's people. */
export interface PeopleRights { coauthors: boolean; facilitator: boolean }

/**
 * The form that starts or edits a sheet, one field per section. The people
 * one may not change are shown read-only and sent back as they are.
 */
export function SheetForm({ page, action, form, choices, submit,
  people = { coauthors: true, facilitator: true } }: {
  page: PageCtx; action: string; form: FormState;
  choices: SheetFormChoices; submit: string; people?: PeopleRights;
}) {
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};
  const orgs = list(v.organisationIds);
  const inits = list(v.initiativeIds);
  const evs = list(v.eventIds);
  const md = "Texte en Markdown.";

  return (
    <form method="post" action={action} novalidate>
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <Csrf page={page} />
      <input type="hidden" name="version" value={str(v.version)} />
      <Field name="title" label="Titre" value={str(v.title)} error={f.title}
        required />
      <Field name="summary" label="Résumé" value={str(v.summary)}
        error={f.summary} multiline hint="Quelques phrases : ce que la fiche
          raconte et ce qu'on en retient." />
      <h2>Le récit</h2>
      {TEXT_SECTIONS.slice(0, 2).map((name) => (
        <Field name={name} label={SECTION_TITLES[name]} value={str(v[name])}
          error={f[name]} multiline hint={md} />
      ))}
      <Field name="trajectory" label="Trajectoire" value={str(v.trajectory)}
        error={f.trajectory} multiline hint="Une étape datée par ligne :
          « 2021-03 : premier atelier avec les élu·es »." />
      {TEXT_SECTIONS.slice(2).map((name) => (
        <Field name={name} label={SECTION_TITLES[name]} value={str(v[name])}
          error={f[name]} multiline hint={md} />
      ))}
      <h2>Descripteurs</h2>
      <Field name="themes" label="Thématiques" value={str(v.themes)} multiline
        hint="Une par ligne, ou séparées par des points-virgules." />
      <Field name="competences" label="Compétences mises en œuvre"
        value={str(v.competences)} multiline hint="Une par ligne. Une fois la
          fiche publiée, elles sont attestées pour ses auteur·es et leurs
          structures." />
      <Field name="tools" label="Outils" value={str(v.tools)} multiline
        hint="Un par ligne." />
      <Field name="methods" label="Méthodes pédagogiques"
        value={str(v.methods)} multiline hint="Une par ligne." />
      <Field name="territories" label="Territoires" value={str(v.territories)}
        error={f.territories} multiline hint="Un par ligne : commune, EPCI,
          département ou région, par exemple « Loos-en-Gohelle (62) »." />
      <h2>Auteur·es et maïeuticien·ne</h2>
      <Field name="coauthors" label="Autres auteur·es"
        value={str(v.coauthors)} error={f.coauthors} multiline
        readOnly={!people.coauthors} hint={people.coauthors
          ? "Adresse e-mail de chaque allié·e qui écrit avec vous, une par "
            + "ligne."
          : "Seul·es le·la premier·e auteur·e, le·la maïeuticien·ne et "
            + "l'équipe peuvent changer les auteur·es."} />
      <div class={f.facilitatorId ? "field has-error" : "field"}>
        <label for="f-facilitatorId">Maïeuticien·ne</label>
        <p class="hint" id="f-facilitatorId-hint">Il·elle accompagne
          l'écriture et soumet la fiche à l'équipe.{!people.facilitator
            && (str(v.facilitatorId) ? " Seule l'équipe peut le·la changer."
              : " Le·la premier·e auteur·e le·la choisit.")}</p>
        {f.facilitatorId && <p class="error" id="f-facilitatorId-error">
          {f.facilitatorId}</p>}
        {/* A disabled list is not sent: the hidden field keeps its value. */}
        {!people.facilitator && <input type="hidden" name="facilitatorId"
          value={str(v.facilitatorId)} />}
        <select id="f-facilitatorId"
          name={people.facilitator ? "facilitatorId" : undefined}
          disabled={!people.facilitator}
          aria-describedby={`f-facilitatorId-hint${f.facilitatorId
            ? " f-facilitatorId-error" : ""}`}>
          <option value="">Pas encore choisi·e</option>
          {choices.facilitators.map((p) => (
            <option value={p.id} selected={str(v.facilitatorId) === p.id}>
              {p.fullName}</option>
          ))}
        </select>
      </div>
      {choices.organisations.length > 0 && (
        <fieldset id="f-organisationIds" class="field">
          <legend>Structures au nom desquelles la fiche est écrite</legend>
          {f.organisationIds && <p class="error">{f.organisationIds}</p>}
          {choices.organisations.map((o) => (
            <div>
              <input type="checkbox" id={`org-${o.id}`} name="organisationIds"
                value={o.id} checked={orgs.includes(o.id)} />
              <label class="inline" for={`org-${o.id}`}>{o.name}</label>
            </div>
          ))}
        </fieldset>
      )}
      <h2>D'où vient cette expérience</h2>
      <MultiSelect name="initiativeIds" label="Initiatives liées"
        error={f.initiativeIds} selected={inits}
        options={choices.initiatives.map((i) => [i.id, i.title])} />
      <MultiSelect name="eventIds" label="Événements liés" error={f.eventIds}
        selected={evs} options={choices.events.map((e) => [e.id,
          `${e.title} (${formatShortDate(e.startsAt)})`])} />
      <button type="submit">{submit}</button>
    </form>
  );
}

function MultiSelect(p: {
  name: string; label: string; error?: string; selected: string[];
  options: [string, string][];
}) {
  const id = `f-${p.name}`;

  return (
    <div class={p.error ? "field has-error" : "field"}>
      <label for={id}>{p.label}</label>
      <p class="hint" id={`${id}-hint`}>Ctrl ou Cmd + clic pour en choisir
        plusieurs.</p>
      {p.error && <p class="error" id={`${id}-error`}>{p.error}</p>}
      <select id={id} name={p.name} multiple size={5}
        aria-describedby={`${id}-hint${p.error ? ` ${id}-error` : ""}`}>
        {p.options.map(([value, label]) => (
          <option value={value} selected={p.selected.includes(value)}>
            {label}</option>
        ))}
      </select>
    </div>
  );
}
