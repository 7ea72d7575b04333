import { isMember, isStaff } from "../../domain/context.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate, formatDateTime } from "../../web/format.ts";
import {
  describeQuorum, MAJORITY_LABELS, OUTCOME_LABELS,
} from "../ballots/rules.ts";
import { Briefs } from "./brief-views.tsx";
import { Debate } from "./debate-views.tsx";
import type { DoctrinePage } from "./queries.ts";
import { History } from "./version-views.tsx";
import {
  DoctrineNav, Markdown, STATUS_LABELS, type Forms, type TextPageProps,
} from "./views.tsx";

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
        {text.reason && (
          <section aria-labelledby="pourquoi">
            <h2 id="pourquoi">Pourquoi ce texte</h2>
            <p class="muted">Proposé par {data.proposer ?? "une personne qui "
              + "a quitté l'Atelier"}.</p>
            <Markdown text={text.reason} />
          </section>
        )}
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
