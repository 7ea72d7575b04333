import type { ComponentChildren } from "preact";
import { isMember } from "../../domain/context.ts";
import { toParisLocal } from "../../domain/time.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate, formatDateTime } from "../../web/format.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import type { DoctrinePage } from "./queries.ts";
import type { DoctrineStatus } from "./tables.ts";
import type { DoctrineEntry } from "./texts.ts";

export interface FormState {
  values?: Record<string, string | undefined>;
  error?: { message: string; fields: Record<string, string> };
}

/** Form states of a page with several forms, by form name. */
export type Forms = Record<string, FormState | undefined>;

export const KIND_LABELS: Record<string, string> = {
  finding: "Constat", framework: "Référentiel", study: "Étude",
  key_text: "Texte clé",
};

export const STATUS_LABELS: Record<DoctrineStatus, string> = {
  proposed: "Proposé, en attente du débat",
  debate: "En débat",
  voting: "Scrutin de validation en cours",
  validated: "Validé",
  rejected: "Non validé",
};

/** Text written in Markdown, as safe HTML. */
export const Markdown = ({ text }: { text: string }) => (
  <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />
);

/** The navigation above every page of the doctrine. */
export function DoctrineNav({ page, children }: { page: PageCtx;
  children: ComponentChildren }) {
  return (
    <>
      <nav aria-label="Doctrine">
        <ul class="tags">
          <li><a href="/doctrine">La doctrine</a></li>
          {isMember(page.actor) && (
            <li><a href="/doctrine/propositions">Textes en examen</a></li>
          )}
        </ul>
      </nav>
      {children}
    </>
  );
}

export function DoctrineIndexPage({ page, entries }: { page: PageCtx;
  entries: DoctrineEntry[] }) {
  return (
    <DoctrineNav page={page}>
      <h1>La doctrine de l'Alliance</h1>
      <p>Les textes que les allié·es ont débattus, amendés puis validés par
        un scrutin. Chacun garde l'historique de ses versions et le débat qui
        l'a fait naître.</p>
      {entries.length === 0 ? <p>Aucun texte n'est encore validé.</p> : (
        <ul class="agenda-list">
          {entries.map((e) => (
            <li>
              <h2 class="h3"><a href={`/doctrine/${e.text.slug}`}>{e.title}</a>
              </h2>
              <p class="muted">{KIND_LABELS[e.kind] ?? e.kind} — version
                {" "}{e.text.validatedVersion}, validée le
                {" "}{formatDate(e.text.validatedAt!)}
                {isMember(page.actor) && e.text.status !== "validated"
                  && e.text.status !== "rejected" && " — révision en cours"}
              </p>
              {e.summary && <p>{e.summary}</p>}
            </li>
          ))}
        </ul>
      )}
    </DoctrineNav>
  );
}

export function ProposalsPage({ page, entries, documents, form }: {
  page: PageCtx; entries: DoctrineEntry[];
  documents: { id: string; title: string; kind: string }[]; form: FormState;
}) {
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};

  return (
    <DoctrineNav page={page}>
      <h1>Textes en examen</h1>
      {entries.length === 0 ? <p>Aucun texte n'est en examen.</p> : (
        <ul class="agenda-list">
          {entries.map((e) => (
            <li>
              <h2 class="h3"><a href={`/doctrine/${e.text.slug}`}>{e.title}</a>
              </h2>
              <p class="muted">{STATUS_LABELS[e.text.status]}
                {e.text.status === "debate" && e.text.debateEndsAt
                  && ` jusqu'au ${formatDateTime(e.text.debateEndsAt)}`}</p>
            </li>
          ))}
        </ul>
      )}
      <h2 id="proposer">Proposer un texte pour la doctrine</h2>
      <p>Un constat, un référentiel, une étude ou un texte clé publié dans le
        fonds documentaire. Un texte déjà validé peut aussi être proposé à
        nouveau pour une révision.</p>
      <form method="post" action="/doctrine/propositions">
        <Csrf page={page} />
        <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
        <div class={f.documentId ? "field has-error" : "field"}>
          <label for="f-documentId">Texte du fonds documentaire
            (obligatoire)</label>
          {f.documentId && <p class="error" id="f-documentId-error">
            {f.documentId}</p>}
          <select id="f-documentId" name="documentId" required
            aria-invalid={f.documentId ? "true" : undefined}
            aria-describedby={f.documentId ? "f-documentId-error" : undefined}>
            <option value="">Choisissez un texte</option>
            {documents.map((d) => (
              <option value={d.id} selected={v.documentId === d.id}>
                {d.title} ({KIND_LABELS[d.kind] ?? d.kind})</option>
            ))}
          </select>
        </div>
        <Field name="reason" label="Pourquoi ce texte a sa place dans la doctrine"
          value={v.reason} error={f.reason} required multiline
          hint="Markdown accepté." />
        <button type="submit">Proposer le texte</button>
      </form>
    </DoctrineNav>
  );
}

/** What a text's page and each of its sections are drawn from. */
export interface TextPageProps {
  page: PageCtx;
  data: DoctrinePage;
  forms?: Forms;
}

export const defaultEndsAt = (now: Date, days: number) =>
  toParisLocal(new Date(now.getTime() + days * 86_400_000));
