import type { PageCtx } from "../../web/layout.tsx";
import { formatDate } from "../../web/format.ts";
import type { InitiativeSummary } from "../initiatives/initiative-lists.ts";
import { OrganisationInitiatives } from "../initiatives/views.tsx";
import type { HeldLabel } from "../labels/register.ts";
import { LabelBadges } from "../labels/views.tsx";
import type { AttestedCompetence } from "../sheets/attestation.ts";
import { AttestedCompetences } from "../sheets/views.tsx";
import { KIND_LABELS } from "./labels.ts";
import type { OrganisationPage } from "./organisation-queries.ts";
import { Contact, Markdown } from "./views.tsx";

const dateOf = (iso: string) => formatDate(new Date(`${iso}T12:00:00Z`));

const href = (url: string) => /^https?:\/\//.test(url) ? url : `https://${url}`;

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
