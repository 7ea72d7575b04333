import { isStaff } from "../../domain/context.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate } from "../../web/format.ts";
import type { BriefView } from "./briefs.ts";
import { Markdown, type Forms, type TextPageProps } from "./views.tsx";

/** Briefs for teaching and media adaptations of a validated text. */
export function Briefs({ page, data, forms }: TextPageProps & { forms: Forms }) {
  const { text } = data;
  if (!text.validatedVersion) return null;
  const staff = isStaff(page.actor);
  if (data.briefs.length === 0 && !staff) return null;
  const base = `/doctrine/${text.slug}`;
  const form = forms.brief ?? {};
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};

  return (
    <section aria-labelledby="adaptations">
      <h2 id="adaptations">Adaptations pédagogiques et multimédias</h2>
      {data.briefs.length === 0 && <p>Aucun cahier des charges.</p>}
      {data.briefs.map((b) => (
        <BriefCard page={page} base={base} view={b} forms={forms} />
      ))}
      {staff && (
        <form method="post" action={`${base}/cahiers`}>
          <h3>Écrire un cahier des charges</h3>
          <Csrf page={page} />
          <ErrorSummary message={form.error?.message} fields={f} />
          <Field name="audience" label="Public visé" value={v.audience}
            error={f.audience} required />
          <Field name="format" label="Format" value={v.format}
            error={f.format} required hint="Vidéo, fiche, jeu, module…" />
          <Field name="themes" label="Thèmes" value={v.themes}
            hint="Séparés par des virgules." />
          <Field name="deadline" type="date" label="Échéance"
            value={v.deadline} error={f.deadline} required />
          <Field name="description" label="Ce qui est attendu"
            value={v.description} error={f.description} required multiline
            hint="Markdown accepté." />
          <button type="submit">Enregistrer le cahier des charges</button>
        </form>
      )}
    </section>
  );
}

const BRIEF_STATUS = {
  open: "Ouvert aux volontaires", assigned: "Confié", delivered: "Réalisé",
};

function BriefCard({ page, base, view, forms }: { page: PageCtx;
  base: string; view: BriefView; forms: Forms }) {
  const { brief } = view;
  const id = brief.id;
  const me = page.actor.kind === "person" ? page.actor.id : null;
  const volunteerForm = forms[`volunteer-${id}`] ?? {};
  const resultForm = forms[`result-${id}`] ?? {};
  const pickForm = forms[`pick-${id}`] ?? {};
  const resultErrors = resultForm.error?.fields ?? {};
  const canAttach = brief.status !== "open"
    && (isStaff(page.actor) || me === brief.chosenPersonId);

  return (
    <article class="card" aria-labelledby={`cahier-${id}`}>
      <h3 id={`cahier-${id}`}>{brief.format} pour {brief.audience}</h3>
      <p class="muted">{BRIEF_STATUS[brief.status]} — échéance le
        {" "}{formatDate(new Date(`${brief.deadline}T12:00:00Z`))}
        {brief.themes.length > 0 && ` — thèmes : ${brief.themes.join(", ")}`}
        {view.chosenName && ` — confié à ${view.chosenName}`}</p>
      <Markdown text={brief.description} />
      {brief.status === "delivered" && (
        <div>
          <h4>Résultat</h4>
          <Markdown text={brief.resultDescription ?? ""} />
          {brief.resultUrl && <p><a href={brief.resultUrl}
            rel="noopener nofollow">{brief.resultUrl}</a></p>}
          {brief.resultFile && <p>Fichier : <a href={brief.resultFile}
            rel="noopener nofollow">{brief.resultFile}</a></p>}
        </div>
      )}
      {brief.status === "open" && page.actor.kind === "person"
        && page.actor.role === "ally" && (view.mine
        ? <p>Vous vous êtes proposé·e : l'équipe vous répondra.</p>
        : (
          <form method="post" action={`${base}/cahiers/${id}/volontaires`}>
            <Csrf page={page} />
            <ErrorSummary message={volunteerForm.error?.message} />
            <div class="field">
              <label for={`volunteer-${id}`}>Votre proposition</label>
              <textarea id={`volunteer-${id}`} name="message" rows={3}
                required>{volunteerForm.values?.message ?? ""}</textarea>
            </div>
            <button type="submit">Me proposer</button>
          </form>
        ))}
      {isStaff(page.actor) && (
        <>
          <p>{view.volunteerCount} volontaire
            {view.volunteerCount > 1 && "s"}.</p>
          {view.volunteers.length > 0 && (
            <form method="post" action={`${base}/cahiers/${id}/choix`}>
              <Csrf page={page} />
              <ErrorSummary message={pickForm.error?.message} />
              <table>
                <caption>Volontaires et leurs compétences (annuaire)</caption>
                <thead><tr><th scope="col">Personne</th>
                  <th scope="col">Message</th><th scope="col">Compétences</th>
                  <th scope="col">Correspond</th></tr></thead>
                <tbody>
                  {view.volunteers.map((vol) => (
                    <tr>
                      <td>{brief.status === "open" ? <>
                        <input type="radio" name="personId"
                          value={vol.personId} required
                          id={`pick-${id}-${vol.personId}`} />{" "}
                        <label class="inline"
                          for={`pick-${id}-${vol.personId}`}>
                          {vol.fullName}</label></> : vol.fullName}</td>
                      <td>{vol.message}</td>
                      <td>{vol.skills.join(", ") || "—"}</td>
                      <td>{vol.matches ? "Oui : compétences proches du "
                        + "format ou des thèmes" : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {brief.status === "open" && (
                <button type="submit">Confier l'adaptation</button>
              )}
            </form>
          )}
        </>
      )}
      {canAttach && (
        <form method="post" action={`${base}/cahiers/${id}/resultat`}>
          <h4>{brief.status === "delivered" ? "Remplacer le résultat"
            : "Joindre le résultat"}</h4>
          <Csrf page={page} />
          <ErrorSummary message={resultForm.error?.message} />
          <div class="field">
            <label for={`url-${id}`}>Lien</label>
            {resultErrors.url && <p class="error">{resultErrors.url}</p>}
            <input id={`url-${id}`} name="url" type="url"
              value={resultForm.values?.url ?? ""} />
          </div>
          <div class="field">
            <label for={`file-${id}`}>Ou référence du fichier</label>
            <p class="hint" id={`file-${id}-hint`}>L'adresse d'un document
              du fonds documentaire (/fonds/documents/…) ou d'un dossier
              partagé.</p>
            {resultErrors.file && <p class="error">{resultErrors.file}</p>}
            <input id={`file-${id}`} name="file" type="text"
              aria-describedby={`file-${id}-hint`}
              value={resultForm.values?.file ?? ""} />
          </div>
          <div class="field">
            <label for={`description-${id}`}>Description</label>
            {resultErrors.description
              && <p class="error">{resultErrors.description}</p>}
            <textarea id={`description-${id}`} name="description" rows={3}
              required>{resultForm.values?.description ?? ""}</textarea>
          </div>
          <button type="submit">Joindre le résultat</button>
        </form>
      )}
    </article>
  );
}
