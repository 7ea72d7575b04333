import type { PageCtx } from "../../web/layout.tsx";
import { Csrf, ErrorSummary, Field } from "../../web/layout.tsx";
import type { EventInput } from "./input.ts";
import { KindSelect } from "./views.tsx";

export type EventFormValues = Record<keyof EventInput, string> & {
  version?: string; cancelRemoved?: string;
};

export function EventForm({ page, action, values, hosts, message, fields,
  editing }: {
  page: PageCtx; action: string; values: Partial<EventFormValues>;
  hosts: { id: string; name: string }[]; message?: string;
  fields?: Record<string, string>; editing: boolean;
}) {
  const errors = fields ?? {};
  const v = (name: keyof EventFormValues) => values[name] ?? "";
  const allDay = Boolean(values.allDay);

  return (
    <section>
      <h1>{editing ? "Modifier l'évènement" : "Nouvel évènement"}</h1>
      {(message || fields) && <ErrorSummary message={message}
        fields={fields} />}
      <form method="post" action={action}>
        <Csrf page={page} />
        {editing && <input type="hidden" name="version" value={v("version")} />}
        <Field name="title" label="Titre" value={v("title")} required
          error={errors.title} />
        <KindSelect value={v("kind")} label="Type" error={errors.kind} />
        <Field name="description" label="Description" multiline
          value={v("description")} hint="Markdown : **gras**, listes, liens."
          error={errors.description} />
        <div class={errors.hostOrganisationId ? "field has-error" : "field"}>
          <label for="f-hostOrganisationId">Structure d'accueil</label>
          {errors.hostOrganisationId && <p class="error">
            {errors.hostOrganisationId}</p>}
          <select id="f-hostOrganisationId" name="hostOrganisationId">
            <option value="">Aucune (l'association)</option>
            {hosts.map((h) => (
              <option value={h.id}
                selected={v("hostOrganisationId") === h.id}>{h.name}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <input type="checkbox" id="f-allDay" name="allDay" value="on"
            checked={allDay} />
          <label for="f-allDay" class="inline">Toute la journée (dates seules,
            sur un ou plusieurs jours)</label>
        </div>
        <Field name="start" label="Début (heure de Paris)" required
          type={allDay ? "date" : "datetime-local"} value={v("start")}
          hint="Pour un évènement sur la journée : aaaa-mm-jj."
          error={errors.start} />
        <Field name="end" label="Fin (heure de Paris)" required
          type={allDay ? "date" : "datetime-local"} value={v("end")}
          error={errors.end} />
        <Field name="location" label="Lieu" value={v("location")}
          error={errors.location} />
        <Field name="videoUrl" label="Lien de visioconférence" type="url"
          value={v("videoUrl")} error={errors.videoUrl}
          hint="Montré seulement aux personnes inscrites et confirmées." />
        <Field name="capacity" label="Nombre de places" type="number"
          value={v("capacity")} error={errors.capacity}
          hint="Vide : pas de limite ; au plus 100 000." />
        <Field name="registrationOpens" label="Ouverture des inscriptions"
          type="datetime-local" value={v("registrationOpens")}
          error={errors.registrationOpens} />
        <Field name="registrationCloses" label="Clôture des inscriptions"
          type="datetime-local" value={v("registrationCloses")}
          error={errors.registrationCloses}
          hint="Vide : jusqu'au début de chaque date." />
        <div class={errors.visibility ? "field has-error" : "field"}>
          <label for="f-visibility">Qui peut voir l'évènement</label>
          <select id="f-visibility" name="visibility">
            <option value="public" selected={v("visibility") !== "allies"}>
              Tout le monde</option>
            <option value="allies" selected={v("visibility") === "allies"}>
              Les allié·es seulement</option>
          </select>
        </div>
        <Field name="rrule" label="Récurrence (règle RRULE)" value={v("rrule")}
          error={errors.rrule} hint={"Vide : une seule date. Exemple : " +
            "FREQ=MONTHLY;BYDAY=1TU;COUNT=10 (le premier mardi de chaque " +
            "mois, 10 fois)."} />
        <Field name="exdates" label="Dates exclues" value={v("exdates")}
          error={errors.exdates} hint="aaaa-mm-jj, séparées par des espaces." />
        {editing && (
          <div class={errors.cancelRemoved ? "field has-error" : "field"}>
            {errors.cancelRemoved && <p class="error">{errors.cancelRemoved}</p>}
            <input type="checkbox" id="f-cancelRemoved" name="cancelRemoved"
              value="on" checked={Boolean(values.cancelRemoved)} />
            <label for="f-cancelRemoved" class="inline">Annuler les dates qui
              disparaissent et prévenir les inscrit·es</label>
          </div>
        )}
        <button type="submit">Enregistrer</button>
      </form>
    </section>
  );
}
