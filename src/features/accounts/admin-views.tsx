import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { ADMIN_LINKS } from "../../web/admin-links.ts";
import { formatShortDate } from "../../web/format.ts";
import type { Person } from "./people.ts";
import { ACCOUNT_STATUSES, ROLES } from "./tables.ts";
import { ROLE_LABELS, STATUS_LABELS, type FormState } from "./views.tsx";

export const AdminIndexView = () => (
  <section>
    <h1>Administration</h1>
    <ul class="cards">
      {ADMIN_LINKS.map((link) => (
        <li>
          <h2><a href={link.href}>{link.label}</a></h2>
          <p>{link.description}</p>
        </li>
      ))}
    </ul>
  </section>
);

export const JoinRequestsView = ({ page, requests }: {
  page: PageCtx; requests: Person[];
}) => (
  <section>
    <h1>Demandes d'adhésion</h1>
    {requests.length === 0 && <p>Aucune demande en attente.</p>}
    {requests.map((person) => (
      <article class="card">
        <h2>{person.fullName}</h2>
        <p>{person.email}
          {person.joinOrganisation && ` — ${person.joinOrganisation}`}</p>
        <p class="muted">Demande du {formatShortDate(person.createdAt)}</p>
        {person.joinMessage && <blockquote>{person.joinMessage}</blockquote>}
        <form method="post" class="inline"
          action={`/admin/adhesions/${person.id}/accepter`}>
          <Csrf page={page} />
          <button type="submit">Accepter<span class="visually-hidden">
            {` la demande de ${person.fullName}`}</span></button>
        </form>
        {" "}
        <form method="post" class="inline"
          action={`/admin/adhesions/${person.id}/refuser`}>
          <Csrf page={page} />
          <button type="submit" class="secondary">Refuser<span
            class="visually-hidden">{` la demande de ${person.fullName}`}
          </span></button>
        </form>
      </article>
    ))}
  </section>
);

function RoleSelect({ value, error }: { value?: string; error?: string }) {
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for="f-role">Rôle</label>
      {error && <p class="error" id="f-role-error">{error}</p>}
      <select id="f-role" name="role"
        aria-describedby={error ? "f-role-error" : undefined}>
        {ROLES.map((role) => (
          <option value={role} selected={role === value}>
            {ROLE_LABELS[role]}</option>
        ))}
      </select>
    </div>
  );
}

export const InviteView = ({ page, state }: {
  page: PageCtx; state: FormState;
}) => (
  <section class="narrow">
    <h1>Inviter une personne</h1>
    <p>La personne reçoit un e-mail avec un lien, valable 7 jours, pour
      choisir son mot de passe.</p>
    <ErrorSummary message={state.message} fields={state.fields} />
    <form method="post" action="/admin/invitations" novalidate>
      <Csrf page={page} />
      <Field name="fullName" label="Nom" required autocomplete="off"
        value={state.values?.fullName} error={state.fields?.fullName} />
      <Field name="email" label="Adresse e-mail" type="email" required
        autocomplete="off" value={state.values?.email}
        error={state.fields?.email} />
      <RoleSelect value={state.values?.role} error={state.fields?.role} />
      <button type="submit">Envoyer l'invitation</button>
    </form>
  </section>
);

export const PeopleView = ({ people, status }: {
  people: Person[]; status?: string;
}) => (
  <section>
    <h1>Comptes</h1>
    <form method="get" action="/admin/personnes" class="filters">
      <div class="field">
        <label for="f-statut">État du compte</label>
        <select id="f-statut" name="statut">
          <option value="">Tous</option>
          {ACCOUNT_STATUSES.filter((s) => s !== "none").map((s) => (
            <option value={s} selected={s === status}>
              {STATUS_LABELS[s]}</option>
          ))}
        </select>
      </div>
      <button type="submit">Filtrer</button>
    </form>
    <p>{people.length} compte{people.length > 1 ? "s" : ""}</p>
    <table>
      <thead>
        <tr><th scope="col">Nom</th><th scope="col">Adresse e-mail</th>
          <th scope="col">Rôle</th><th scope="col">État</th></tr>
      </thead>
      <tbody>
        {people.map((person) => (
          <tr>
            <td><a href={`/admin/personnes/${person.id}`}>
              {person.fullName}</a></td>
            <td>{person.email}</td>
            <td>{ROLE_LABELS[person.role]}
              {person.isFacilitator && ", maïeuticien·ne"}</td>
            <td>{STATUS_LABELS[person.accountStatus]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </section>
);

export const PersonAdminView = ({ page, person, state }: {
  page: PageCtx; person: Person; state: FormState;
}) => (
  <section class="narrow">
    <h1>{person.fullName}</h1>
    <p>{person.email} — compte {STATUS_LABELS[person.accountStatus]}</p>
    <h2>Rôle</h2>
    <ErrorSummary message={state.message} fields={state.fields} />
    <form method="post" action={`/admin/personnes/${person.id}`}>
      <Csrf page={page} />
      <RoleSelect value={state.values?.role ?? person.role}
        error={state.fields?.role} />
      <div class="field">
        <input type="checkbox" id="f-facilitator" name="isFacilitator"
          value="1" checked={person.isFacilitator} />
        {" "}<label for="f-facilitator" class="inline">
          Maïeuticien·ne (formé·e au cycle de médiation)</label>
      </div>
      <button type="submit">Enregistrer</button>
    </form>
    {person.accountStatus === "active" && (
      <>
        <h2>Désactiver le compte</h2>
        <p>La personne ne peut plus se connecter ; ses sessions sont
          fermées. Ses contributions restent.</p>
        <form method="post" action={`/admin/personnes/${person.id}/desactiver`}>
          <Csrf page={page} />
          <button type="submit" class="danger">Désactiver le compte</button>
        </form>
      </>
    )}
    {person.accountStatus === "disabled" && (
      <>
        <h2>Réactiver le compte</h2>
        <form method="post" action={`/admin/personnes/${person.id}/reactiver`}>
          <Csrf page={page} />
          <button type="submit">Réactiver le compte</button>
        </form>
      </>
    )}
    <p><a href="/admin/personnes">Retour aux comptes</a></p>
  </section>
);
