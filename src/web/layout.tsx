import type { ComponentChildren } from "preact";
import type { Actor } from "../domain/context.ts";

/** What every page needs to know about the request it answers. */
export interface PageCtx {
  actor: Actor;
  csrfToken: string;
  siteName: string;
  path: string;
  flash?: string;
}

interface LayoutProps {
  page: PageCtx;
  title: string;
  children: ComponentChildren;
}

const NAV = [
  { href: "/annuaire", label: "Annuaire" },
  { href: "/agenda", label: "Agenda" },
  { href: "/initiatives", label: "Initiatives" },
  { href: "/labels", label: "Labels" },
  { href: "/fiches", label: "Fiches" },
  { href: "/fonds", label: "Fonds documentaire" },
  { href: "/doctrine", label: "Doctrine" },
];

export function Layout({ page, title, children }: LayoutProps) {
  const { actor } = page;

  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${page.siteName}`}</title>
        <link rel="stylesheet" href="/assets/atelier.css" />
        <link rel="alternate" type="text/calendar" title="Agenda public"
          href="/agenda.ics" />
      </head>
      <body>
        <a class="skip" href="#contenu">Aller au contenu</a>
        <header class="site">
          <a class="brand" href="/">{page.siteName}</a>
          <nav aria-label="Navigation principale">
            <ul>
              {NAV.map((item) => (
                <li>
                  <a href={item.href}
                    aria-current={page.path.startsWith(item.href)
                      ? "page" : undefined}>{item.label}</a>
                </li>
              ))}
              {actor.kind === "person" && actor.role === "staff" && (
                <li><a href="/admin">Administration</a></li>
              )}
            </ul>
          </nav>
          <div class="account">
            {actor.kind === "person" ? (
              <>
                <a href="/compte">{actor.fullName}</a>
                <form method="post" action="/deconnexion" class="inline">
                  <input type="hidden" name="_csrf" value={page.csrfToken} />
                  <button type="submit" class="link">Se déconnecter</button>
                </form>
              </>
            ) : (
              <>
                <a href="/connexion">Se connecter</a>
                <a href="/adhesion">Rejoindre l'Alliance</a>
              </>
            )}
          </div>
        </header>
        <main id="contenu" tabindex={-1}>
          {page.flash && <p class="flash" role="status">{page.flash}</p>}
          {children}
        </main>
        <footer class="site">
          <p>{page.siteName} — espace de travail partagé de l'Alliance.
            {" "}<a href="/api/openapi.json">API</a></p>
        </footer>
      </body>
    </html>
  );
}

/** Hidden CSRF field that every form carries. */
export const Csrf = ({ page }: { page: PageCtx }) => (
  <input type="hidden" name="_csrf" value={page.csrfToken} />
);

/** List of form errors, linked to their fields, announced on load. */
export function ErrorSummary(
  { message, fields }: { message?: string; fields?: Record<string, string> },
) {
  const entries = Object.entries(fields ?? {});
  // A form shown for the first time has no message and no field in error
  // (often an empty object): nothing to say.
  if (!message && entries.length === 0) return null;

  return (
    <div class="errors" role="alert" tabindex={-1}>
      <p>{message ?? "Le formulaire contient des erreurs."}</p>
      {entries.length > 0 && (
        <ul>
          {entries.map(([name, text]) => (
            <li><a href={`#f-${name}`}>{text}</a></li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  value?: string | null;
  type?: "text" | "email" | "password" | "url" | "tel" | "date"
    | "datetime-local" | "number" | "search";
  error?: string;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  multiline?: boolean;
  /** Shown and sent with the form, but not for this person to change. */
  readOnly?: boolean;
}

/** A labelled input that shows its error and keeps what the user typed. */
export function Field(props: FieldProps) {
  const id = `f-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const common = {
    id, name: props.name, required: props.required, readonly: props.readOnly,
    "aria-invalid": props.error ? "true" : undefined,
    "aria-describedby": describedBy,
  } as const;
  // Preact narrows attributes per input type; this one component serves all.
  const inputProps: Record<string, unknown> = {
    ...common, type: props.type ?? "text", value: props.value ?? "",
    autocomplete: props.autocomplete,
  };

  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>{props.label}{props.required && " (obligatoire)"}</label>
      {props.hint && <p class="hint" id={hintId}>{props.hint}</p>}
      {props.error && <p class="error" id={errorId}>{props.error}</p>}
      {props.multiline ? (
        <textarea {...common} rows={6}>{props.value ?? ""}</textarea>
      ) : (
        <input {...(inputProps as {})} />
      )}
    </div>
  );
}
