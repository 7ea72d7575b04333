import type { ComponentChildren } from "preact";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import type { TerritorySummary } from "../territories/search.ts";
import { KIND_LABELS } from "./labels.ts";
import { ORGANISATION_KINDS } from "./tables.ts";
import {
  Select, visibilityOptions, type FormErrors, type FormValues,
} from "./views.tsx";

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
