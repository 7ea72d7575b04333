import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import type { AttestedCompetence } from "../sheets/attestation.ts";
import { AttestedCompetences } from "../sheets/views.tsx";
import {
  Contact, Markdown, Select, visibilityOptions, type FormErrors,
  type FormValues,
} from "./views.tsx";

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
