import type { ComponentChildren } from "preact";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { ACCOUNT_LINKS } from "../../web/account-links.ts";
import type { Person } from "./people.ts";
import type { AccountStatus, Role } from "./tables.ts";
import { MIN_PASSWORD_LENGTH } from "./validation.ts";

/** What a form shows again after a refusal: input, message, field errors. */
export interface FormState {
  values?: Record<string, string | undefined>;
  message?: string;
  fields?: Record<string, string>;
}

export const ROLE_LABELS: Record<Role, string> = {
  ally: "allié·e",
  staff: "équipe",
};

export const STATUS_LABELS: Record<AccountStatus, string> = {
  none: "sans compte",
  requested: "demande en attente",
  invited: "invitation envoyée",
  active: "actif",
  refused: "demande refusée",
  disabled: "désactivé",
};

const PASSWORD_HINT = `Au moins ${MIN_PASSWORD_LENGTH} caractères. Une phrase `
  + "de plusieurs mots est facile à retenir et difficile à deviner.";

function FormPage(props: {
  page: PageCtx; title: string; action: string; submit: string;
  state: FormState; intro?: ComponentChildren; children?: ComponentChildren;
  after?: ComponentChildren;
}) {
  const { state } = props;

  return (
    <section class="narrow">
      <h1>{props.title}</h1>
      {props.intro}
      <ErrorSummary message={state.message} fields={state.fields} />
      <form method="post" action={props.action} novalidate>
        <Csrf page={props.page} />
        {props.children}
        <button type="submit">{props.submit}</button>
      </form>
      {props.after}
    </section>
  );
}

/** The two fields of a new password, with the browser's right hints. */
function NewPasswordFields({ state }: { state: FormState }) {
  return (
    <>
      <Field name="password" label="Nouveau mot de passe" type="password"
        autocomplete="new-password" required hint={PASSWORD_HINT}
        error={state.fields?.password} />
      <Field name="confirmation" label="Confirmez le mot de passe"
        type="password" autocomplete="new-password" required
        error={state.fields?.confirmation} />
    </>
  );
}

export const SignInView = ({ page, state, suite }: {
  page: PageCtx; state: FormState; suite?: string;
}) => (
  <FormPage page={page} title="Se connecter" action="/connexion"
    submit="Se connecter" state={state} after={
      <ul>
        <li><a href="/connexion/lien">Recevoir un lien de connexion par
          e-mail</a></li>
        <li><a href="/mot-de-passe/oubli">Mot de passe oublié ?</a></li>
        <li><a href="/adhesion">Pas encore de compte ? Rejoindre
          l'Alliance</a></li>
      </ul>
    }>
    {suite && <input type="hidden" name="suite" value={suite} />}
    <Field name="email" label="Adresse e-mail" type="email" required
      autocomplete="username" value={state.values?.email}
      error={state.fields?.email} />
    <Field name="password" label="Mot de passe" type="password" required
      autocomplete="current-password" error={state.fields?.password} />
  </FormPage>
);

/** Asks for an address to mail a link to (sign-in or new password). */
export const MailLinkRequestView = ({ page, state, title, action, intro }: {
  page: PageCtx; state: FormState; title: string; action: string;
  intro: string;
}) => (
  <FormPage page={page} title={title} action={action} state={state}
    submit="Recevoir le lien" intro={<p>{intro}</p>}>
    <Field name="email" label="Adresse e-mail" type="email" required
      autocomplete="email" value={state.values?.email}
      error={state.fields?.email} />
  </FormPage>
);

/** The sign-in link's page: a button, so that a prefetch does not use it. */
export const SignInLinkView = ({ page, token }: {
  page: PageCtx; token: string;
}) => (
  <FormPage page={page} title="Se connecter avec le lien" state={{}}
    action={`/connexion/lien/${encodeURIComponent(token)}`}
    submit="Me connecter"
    intro={<p>Ce lien ne sert qu'une fois. Confirmez pour ouvrir votre
      session.</p>} />
);

/** A link that can no longer be used, with where to get a new one. */
export const DeadLinkView = ({ message, href, label }: {
  message: string; href: string; label: string;
}) => (
  <section class="narrow">
    <h1>Lien expiré</h1>
    <p>{message}</p>
    <p><a href={href}>{label}</a></p>
  </section>
);

export const NewPasswordView = ({ page, state, token }: {
  page: PageCtx; state: FormState; token: string;
}) => (
  <FormPage page={page} title="Choisir un nouveau mot de passe"
    action={`/mot-de-passe/nouveau/${encodeURIComponent(token)}`}
    submit="Enregistrer le mot de passe" state={state}
    intro={<p>Vos autres sessions seront fermées.</p>}>
    <NewPasswordFields state={state} />
  </FormPage>
);

export const InvitationView = ({ page, state, token, person }: {
  page: PageCtx; state: FormState; token: string; person: Person;
}) => (
  <FormPage page={page} title="Choisir votre mot de passe"
    action={`/invitation/${encodeURIComponent(token)}`}
    submit="Activer mon compte" state={state}
    intro={<p>Bienvenue, {person.fullName}. Votre compte ({person.email})
      sera actif dès que vous aurez choisi un mot de passe.</p>}>
    <input type="text" name="email" value={person.email ?? ""} hidden
      readonly autocomplete="username" />
    <NewPasswordFields state={state} />
  </FormPage>
);

export const FirstStaffView = ({ page, state, token }: {
  page: PageCtx; state: FormState; token: string;
}) => (
  <FormPage page={page} title="Créer le premier compte de l'équipe"
    action={`/premier-compte/${encodeURIComponent(token)}`}
    submit="Créer le compte" state={state}
    intro={<p>Ce compte pourra ensuite accepter les demandes d'adhésion et
      inviter les autres membres de l'équipe.</p>}>
    <Field name="fullName" label="Nom" required autocomplete="name"
      value={state.values?.fullName} error={state.fields?.fullName} />
    <Field name="email" label="Adresse e-mail" type="email" required
      autocomplete="username" value={state.values?.email}
      error={state.fields?.email} />
    <NewPasswordFields state={state} />
  </FormPage>
);

export const JoinView = ({ page, state }: {
  page: PageCtx; state: FormState;
}) => (
  <FormPage page={page} title="Rejoindre l'Alliance" action="/adhesion"
    submit="Envoyer ma demande" state={state}
    intro={<p>L'équipe lit chaque demande et vous répond par e-mail. Une
      fois acceptée, vous recevez un lien pour choisir votre mot de
      passe.</p>}>
    <Field name="fullName" label="Nom et prénom" required autocomplete="name"
      value={state.values?.fullName} error={state.fields?.fullName} />
    <Field name="email" label="Adresse e-mail" type="email" required
      autocomplete="email" value={state.values?.email}
      error={state.fields?.email} />
    <Field name="organisation" label="Structure" autocomplete="organization"
      hint="La structure pour laquelle vous agissez, s'il y en a une."
      value={state.values?.organisation} />
    <Field name="message" label="Message à l'équipe" multiline
      value={state.values?.message} />
  </FormPage>
);

export const AccountView = ({ page, person, state }: {
  page: PageCtx; person: Person; state: FormState;
}) => (
  <section class="narrow">
    <h1>Mon compte</h1>
    <dl>
      <dt>Nom</dt><dd>{person.fullName}</dd>
      <dt>Adresse e-mail</dt><dd>{person.email}</dd>
      <dt>Rôle</dt><dd>{ROLE_LABELS[person.role]}
        {person.isFacilitator && ", maïeuticien·ne"}</dd>
    </dl>
    {ACCOUNT_LINKS.length > 0 && (
      <nav aria-labelledby="mes-pages">
        <h2 id="mes-pages">Mes pages</h2>
        <ul>
          {ACCOUNT_LINKS.map((link) => (
            <li><a href={link.href}>{link.label}</a></li>
          ))}
        </ul>
      </nav>
    )}
    <h2>Changer de mot de passe</h2>
    <ErrorSummary message={state.message} fields={state.fields} />
    <form method="post" action="/compte/mot-de-passe" novalidate>
      <Csrf page={page} />
      <input type="text" name="email" value={person.email ?? ""} hidden
        readonly autocomplete="username" />
      <Field name="currentPassword" label="Mot de passe actuel"
        type="password" autocomplete="current-password" required
        error={state.fields?.currentPassword} />
      <NewPasswordFields state={state} />
      <button type="submit">Changer le mot de passe</button>
    </form>
  </section>
);
