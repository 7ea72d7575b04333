import { ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import type { CarrierRef } from "./carriers.ts";
import {
  INITIATIVE_STAGES, POOLING_KINDS, type InitiativeStage,
} from "./tables.ts";
import { territoryLabel, type TerritoryRef } from "./territory-input.ts";
import { POOLING_KIND_LABELS, STAGE_LABELS } from "./wording.ts";

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
