import type { ComponentChildren } from "preact";
import { isMember, isStaff } from "../../domain/context.ts";
import { toParisLocal } from "../../domain/time.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate, formatDateTime } from "../../web/format.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import {
  describeQuorum, MAJORITY_LABELS, OUTCOME_LABELS,
} from "../ballots/rules.ts";
import type { BriefView } from "./briefs.ts";
import type { DiffPart } from "./diff.ts";
import type { compareVersions, DoctrinePage } from "./queries.ts";
import type { DoctrineStatus } from "./tables.ts";
import type { DoctrineEntry, findVersions } from "./texts.ts";

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

const Markdown = ({ text }: { text: string }) => (
  <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />
);

function DoctrineNav({ page, children }: { page: PageCtx;
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
                {e.text.status !== "validated" && e.text.status !== "rejected"
                  && " — révision en cours"}</p>
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

interface TextPageProps {
  page: PageCtx;
  data: DoctrinePage;
  forms?: Forms;
}

export function TextPage({ page, data, forms = {} }: TextPageProps) {
  const { text, document, versions } = data;
  const latest = versions[versions.length - 1].version;
  const shownNumber = text.validatedVersion ?? latest.number;
  const shown = versions.find((v) => v.version.number === shownNumber)!
    .version;

  return (
    <DoctrineNav page={page}>
      <article>
        <h1>{document.title}</h1>
        <p class="muted">
          {text.validatedVersion
            ? `Texte de la doctrine — version ${text.validatedVersion}, `
              + `validée le ${formatDate(text.validatedAt!)}.`
            : `${STATUS_LABELS[text.status]}.`}
          {text.validatedVersion && text.status !== "validated"
            && ` Révision : ${STATUS_LABELS[text.status].toLowerCase()}.`}
          {" "}<a href={`/fonds/documents/${document.slug}`}>Fiche du
            document</a>
        </p>
        <section aria-labelledby="texte">
          <h2 id="texte">{text.validatedVersion ? "Texte validé"
            : "Texte proposé"} (version {shown.number})</h2>
          <Markdown text={shown.body} />
        </section>
        {latest.number !== shown.number && (
          <section aria-labelledby="en-examen">
            <h2 id="en-examen">Version en examen (version {latest.number})
            </h2>
            <p><a href={`/doctrine/${text.slug}/versions?de=${shown.number}`
              + `&a=${latest.number}`}>Voir les changements depuis la version
              validée</a></p>
            <Markdown text={latest.body} />
          </section>
        )}
        <section aria-labelledby="pourquoi">
          <h2 id="pourquoi">Pourquoi ce texte</h2>
          <p class="muted">Proposé par {data.proposer ?? "une personne qui a "
            + "quitté l'Atelier"}.</p>
          <Markdown text={text.reason} />
        </section>
        <StaffActions page={page} data={data} forms={forms} />
        <History slug={text.slug} versions={versions} />
        <Debate page={page} data={data} forms={forms} />
        <Ballots page={page} data={data} />
        <Briefs page={page} data={data} forms={forms} />
      </article>
    </DoctrineNav>
  );
}

function StaffActions({ page, data, forms }: TextPageProps & {
  forms: Forms }) {
  if (!isStaff(page.actor)) return null;
  const { text } = data;
  const base = `/doctrine/${text.slug}`;
  const debateEnded = text.status === "debate" && !data.debateOpen;

  if (text.status === "proposed") {
    const form = forms.debate ?? {};
    return (
      <section aria-labelledby="ouvrir-debat">
        <h2 id="ouvrir-debat">Ouvrir le débat</h2>
        <form method="post" action={`${base}/debat`}>
          <Csrf page={page} />
          <ErrorSummary message={form.error?.message}
            fields={form.error?.fields} />
          <Field name="endsAt" type="datetime-local" required
            label="Fin du débat (heure de Paris)" value={form.values?.endsAt}
            error={form.error?.fields.endsAt} />
          <button type="submit">Ouvrir le débat</button>
        </form>
      </section>
    );
  }
  if (debateEnded) {
    const form = forms.ballot ?? {};
    const v = form.values ?? {};
    const f = form.error?.fields ?? {};
    return (
      <section aria-labelledby="ouvrir-scrutin">
        <h2 id="ouvrir-scrutin">Ouvrir le scrutin de validation</h2>
        <p>Tous les allié·es votent sur la version actuelle du texte.</p>
        <form method="post" action={`${base}/scrutin`}>
          <Csrf page={page} />
          <ErrorSummary message={form.error?.message} fields={f} />
          <Field name="closesAt" type="datetime-local" required
            label="Fin du scrutin (heure de Paris)" value={v.closesAt}
            error={f.closesAt} />
          <Choice name="quorumKind" label="Quorum" value={v.quorumKind
            ?? "share"} error={f.quorumKind} options={[
            { value: "share", label: "Une part des allié·es (en %)" },
            { value: "count", label: "Un nombre d'allié·es" }]} />
          <Field name="quorumValue" type="number" required label="Valeur du quorum"
            value={v.quorumValue ?? "20"} error={f.quorumValue} />
          <Choice name="majority" label="Majorité" value={v.majority
            ?? "simple"} error={f.majority} options={[
            { value: "simple", label: MAJORITY_LABELS.simple },
            { value: "two_thirds", label: MAJORITY_LABELS.two_thirds }]} />
          <button type="submit">Ouvrir le scrutin</button>
        </form>
      </section>
    );
  }
  if (text.status === "voting" && text.ballotId) {
    return (
      <section aria-labelledby="scrutin-en-cours">
        <h2 id="scrutin-en-cours">Scrutin en cours</h2>
        <p><a href={`/scrutins/${text.ballotId}`}>Suivre le scrutin</a></p>
        <form method="post" action={`${base}/scrutin/cloture`}>
          <Csrf page={page} />
          <button type="submit" class="secondary">Clore le scrutin
            maintenant</button>
        </form>
      </section>
    );
  }

  return null;
}

function Choice({ name, label, value, error, options }: {
  name: string; label: string; value?: string; error?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <fieldset id={`f-${name}`}>
      <legend>{label} (obligatoire)</legend>
      {error && <p class="error">{error}</p>}
      {options.map((o) => (
        <div>
          <input type="radio" name={name} value={o.value}
            id={`f-${name}-${o.value}`} checked={value === o.value} required />
          <label class="inline" for={`f-${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

type Versions = Awaited<ReturnType<typeof findVersions>>;

function VersionPicker({ slug, versions, from, to }: { slug: string;
  versions: Versions; from: number; to: number }) {
  const select = (name: string, label: string, current: number) => (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        {versions.map(({ version: v }) => (
          <option value={String(v.number)} selected={v.number === current}>
            Version {v.number}</option>
        ))}
      </select>
    </div>
  );

  return (
    <form method="get" action={`/doctrine/${slug}/versions`} class="filters">
      {select("de", "De la version", from)}
      {select("a", "À la version", to)}
      <button type="submit">Comparer</button>
    </form>
  );
}

function History({ slug, versions }: { slug: string; versions: Versions }) {
  const last = versions[versions.length - 1].version.number;

  return (
    <section aria-labelledby="historique">
      <h2 id="historique">Historique des versions</h2>
      <table>
        <caption>Versions du texte, de la plus ancienne à la plus récente
        </caption>
        <thead><tr><th scope="col">Version</th><th scope="col">Date</th>
          <th scope="col">Auteur·rice</th><th scope="col">Motif</th>
          <th scope="col">Changements</th></tr></thead>
        <tbody>
          {versions.map(({ version: v, authorName }) => (
            <tr>
              <td>{v.number}</td>
              <td>{formatDateTime(v.createdAt)}</td>
              <td>{authorName ?? "—"}</td>
              <td>{v.reason}</td>
              <td>{v.number > 1 ? (
                <a href={`/doctrine/${slug}/versions?de=${v.number - 1}`
                  + `&a=${v.number}`}>Comparer avec la version {v.number - 1}
                </a>) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 && (
        <VersionPicker slug={slug} versions={versions} from={1} to={last} />
      )}
    </section>
  );
}

const AMENDMENT_LABELS = {
  proposed: "En attente de décision", accepted: "Accepté", rejected: "Refusé",
};

function Debate({ page, data, forms }: TextPageProps & { forms: Forms }) {
  const { text } = data;
  if (!text.debateOpenedAt && data.amendments.length === 0
    && data.comments.length === 0) return null;
  const base = `/doctrine/${text.slug}`;
  const member = isMember(page.actor);

  return (
    <section aria-labelledby="debat">
      <h2 id="debat">Le débat</h2>
      {text.debateOpenedAt && text.debateEndsAt && (
        <p class="muted">{data.debateOpen ? "Débat ouvert" : "Débat"} du
          {" "}{formatDateTime(text.debateOpenedAt)} au
          {" "}{formatDateTime(text.debateEndsAt)}.</p>
      )}
      <h3>Amendements</h3>
      {data.amendments.length === 0 ? <p>Aucun amendement.</p> : (
        <ol class="agenda-list">
          {data.amendments.map((a) => (
            <li id={`amendement-${a.id}`}>
              <p><strong>{AMENDMENT_LABELS[a.status]}</strong>
                {a.resultingVersion && ` — a formé la version `
                  + `${a.resultingVersion}`}
                {" "}· proposé par {a.authorName ?? "—"} le
                {" "}{formatDateTime(a.createdAt)} sur la version
                {" "}{a.baseVersion}</p>
              <p>Remplacer : <del>{a.passage}</del></p>
              <p>par : <ins>{a.replacement}</ins></p>
              <p>Motif : {a.reason}</p>
              {a.decisionNote && <p>Décision motivée : {a.decisionNote}</p>}
              {a.status === "proposed" && data.canDecide && (
                <DecisionForm page={page} base={base} id={a.id}
                  form={forms[`decision-${a.id}`]} />
              )}
            </li>
          ))}
        </ol>
      )}
      {data.debateOpen && member && (
        <AmendmentForm page={page} base={base} form={forms.amendment ?? {}} />
      )}
      <h3>Commentaires</h3>
      <CommentThread page={page} base={base} comments={data.comments}
        parentId={null} open={data.debateOpen && member} forms={forms} />
      {data.debateOpen && member && (
        <CommentForm page={page} base={base} form={forms.comment ?? {}} />
      )}
    </section>
  );
}

function DecisionForm({ page, base, id, form = {} }: { page: PageCtx;
  base: string; id: string; form?: FormState }) {
  return (
    <form method="post" action={`${base}/amendements/${id}/decision`}>
      <Csrf page={page} />
      <ErrorSummary message={form.error?.message} />
      <div class="field">
        <label for={`note-${id}`}>Motif de la décision (facultatif)</label>
        <textarea id={`note-${id}`} name="note" rows={2}>
          {form.values?.note ?? ""}</textarea>
      </div>
      <button type="submit" name="decision" value="accept">Accepter
        l'amendement</button>{" "}
      <button type="submit" name="decision" value="reject" class="secondary">
        Refuser l'amendement</button>
    </form>
  );
}

function AmendmentForm({ page, base, form }: { page: PageCtx; base: string;
  form: FormState }) {
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};

  return (
    <form method="post" action={`${base}/amendements`} id="amender">
      <h4>Proposer un amendement</h4>
      <Csrf page={page} />
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <Field name="passage" label="Passage à remplacer" value={v.passage}
        error={f.passage} required multiline
        hint="Copiez-le exactement depuis la version actuelle du texte." />
      <Field name="replacement" label="Nouveau texte" value={v.replacement}
        error={f.replacement} multiline
        hint="Laissez vide pour supprimer le passage." />
      <Field name="reason" label="Motif de l'amendement" value={v.reason}
        error={f.reason} required multiline />
      <button type="submit">Proposer l'amendement</button>
    </form>
  );
}

type Comments = DoctrinePage["comments"];

function CommentThread({ page, base, comments, parentId, open, forms }: {
  page: PageCtx; base: string; comments: Comments; parentId: string | null;
  open: boolean; forms: Forms;
}) {
  const here = comments.filter((c) => c.parentId === parentId);
  if (here.length === 0) {
    return parentId ? null : <p>Aucun commentaire.</p>;
  }

  return (
    <ul class="comments">
      {here.map((c) => (
        <li id={`commentaire-${c.id}`}>
          <p class="muted">{c.authorName ?? "—"}, le
            {" "}{formatDateTime(c.createdAt)}</p>
          <Markdown text={c.body} />
          {open && (
            <details open={Boolean(forms[`reply-${c.id}`])}>
              <summary>Répondre</summary>
              <form method="post" action={`${base}/commentaires`}>
                <Csrf page={page} />
                <ErrorSummary message={forms[`reply-${c.id}`]?.error?.message}
                />
                <input type="hidden" name="parentId" value={c.id} />
                <div class="field">
                  <label for={`reply-${c.id}`}>Votre réponse</label>
                  <textarea id={`reply-${c.id}`} name="body" rows={3} required>
                    {forms[`reply-${c.id}`]?.values?.body ?? ""}</textarea>
                </div>
                <button type="submit">Répondre</button>
              </form>
            </details>
          )}
          <CommentThread page={page} base={base} comments={comments}
            parentId={c.id} open={open} forms={forms} />
        </li>
      ))}
    </ul>
  );
}

function CommentForm({ page, base, form }: { page: PageCtx; base: string;
  form: FormState }) {
  return (
    <form method="post" action={`${base}/commentaires`} id="commenter">
      <Csrf page={page} />
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <Field name="body" label="Votre commentaire" value={form.values?.body}
        error={form.error?.fields.body} required multiline
        hint="Markdown accepté." />
      <button type="submit">Commenter</button>
    </form>
  );
}

function Ballots({ page, data }: { page: PageCtx; data: DoctrinePage }) {
  if (data.ballots.length === 0) return null;

  return (
    <section aria-labelledby="scrutins">
      <h2 id="scrutins">Scrutins de validation</h2>
      <ul>
        {data.ballots.map((b) => (
          <li>
            {b.status === "closed"
              ? <>Clos le {formatDate(b.closedAt!)} :
                {" "}<strong>{OUTCOME_LABELS[b.outcome!]}</strong> — pour
                {" "}{b.forCount}, contre {b.againstCount}, abstentions
                {" "}{b.abstainCount} ; {b.votesCast} votes sur
                {" "}{b.electorateSize} allié·es (quorum
                {" "}{describeQuorum(b.quorumKind, b.quorumValue)},
                {" "}{MAJORITY_LABELS[b.majority]}).</>
              : <>Ouvert jusqu'au {formatDateTime(b.closesAt)} ; les résultats
                restent cachés jusqu'à la clôture.</>}
            {isMember(page.actor) && <>{" "}<a href={`/scrutins/${b.id}`}>
              Voir le scrutin</a></>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Briefs({ page, data, forms }: TextPageProps & { forms: Forms }) {
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
  const canAttach = brief.status === "assigned"
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
          {brief.resultFile && <p>Fichier : {brief.resultFile}</p>}
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
          <h4>Joindre le résultat</h4>
          <Csrf page={page} />
          <ErrorSummary message={resultForm.error?.message} />
          <div class="field">
            <label for={`url-${id}`}>Lien</label>
            <input id={`url-${id}`} name="url" type="url"
              value={resultForm.values?.url ?? ""} />
          </div>
          <div class="field">
            <label for={`file-${id}`}>Ou référence du fichier</label>
            <input id={`file-${id}`} name="file" type="text"
              value={resultForm.values?.file ?? ""} />
          </div>
          <div class="field">
            <label for={`description-${id}`}>Description</label>
            <textarea id={`description-${id}`} name="description" rows={3}
              required>{resultForm.values?.description ?? ""}</textarea>
          </div>
          <button type="submit">Joindre le résultat</button>
        </form>
      )}
    </article>
  );
}

export function VersionsPage({ page, data, error }: { page: PageCtx;
  data: Awaited<ReturnType<typeof compareVersions>>; error?: string }) {
  const { text, document, versions, before, after, parts } = data;

  return (
    <DoctrineNav page={page}>
      <h1>{document.title} : versions {before.number} et {after.number}</h1>
      <p><a href={`/doctrine/${text.slug}`}>Retour au texte</a></p>
      {error && <ErrorSummary message={error} />}
      <VersionPicker slug={text.slug} versions={versions}
        from={before.number} to={after.number} />
      <p class="muted">Version {after.number} : {after.reason}
        {" "}({formatDateTime(after.createdAt)}). Les ajouts sont soulignés,
        les suppressions barrées.</p>
      <DiffView parts={parts} />
    </DoctrineNav>
  );
}

/** A word-level diff; every part is escaped text inside <ins> or <del>. */
export function DiffView({ parts }: { parts: DiffPart[] }) {
  return (
    <div class="diff">
      {parts.map((p) => p.kind === "added" ? <ins>{p.text}</ins>
        : p.kind === "removed" ? <del>{p.text}</del> : p.text)}
    </div>
  );
}

export const defaultEndsAt = (now: Date, days: number) =>
  toParisLocal(new Date(now.getTime() + days * 86_400_000));
