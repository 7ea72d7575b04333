import type { ComponentChildren } from "preact";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate, formatDateTime } from "../../web/format.ts";
import { OUTCOME_LABELS, describeQuorum, MAJORITY_LABELS }
  from "../ballots/rules.ts";
import type { CollectiveWithMembers } from "./collectives.ts";
import type { Label } from "./labels.ts";
import type { findProposals } from "./proposals.ts";
import type { HeldLabel, RegisterEntry } from "./register.ts";

export interface FormState {
  values?: Record<string, string | undefined>;
  error?: { message: string; fields: Record<string, string> };
}

/** The labels an initiative holds, as small badges. */
export function LabelBadges({ labels }: { labels: HeldLabel[] }) {
  if (labels.length === 0) return null;

  return (
    <ul class="tags label-badges" aria-label="Labels">
      {labels.map((l) => (
        <li><a href={`/labels?label=${l.labelSlug}`}>Label « {l.labelName} »
        </a></li>
      ))}
    </ul>
  );
}

interface SelectProps {
  name: string; label: string; value?: string; error?: string;
  required?: boolean; options: { value: string; label: string }[];
  empty?: string;
}

/** A labelled select with the same error conventions as `Field`. */
export function Select(p: SelectProps) {
  const id = `f-${p.name}`;

  return (
    <div class={p.error ? "field has-error" : "field"}>
      <label for={id}>{p.label}{p.required && " (obligatoire)"}</label>
      {p.error && <p class="error" id={`${id}-error`}>{p.error}</p>}
      <select id={id} name={p.name} required={p.required}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `${id}-error` : undefined}>
        {p.empty !== undefined && <option value="">{p.empty}</option>}
        {p.options.map((o) => (
          <option value={o.value} selected={p.value === o.value}>
            {o.label}</option>
        ))}
      </select>
    </div>
  );
}

function AdminNav({ children }: { children?: ComponentChildren }) {
  return (
    <>
      <nav aria-label="Labellisation">
        <ul class="tags">
          <li><a href="/admin/labels">Labels</a></li>
          <li><a href="/admin/collectifs">Collectifs</a></li>
          <li><a href="/admin/propositions">Propositions</a></li>
          <li><a href="/admin/journal">Journal</a></li>
        </ul>
      </nav>
      {children}
    </>
  );
}

function LabelForm({ page, action, form, submit }: {
  page: PageCtx; action: string; form: FormState; submit: string;
}) {
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};

  return (
    <form method="post" action={action}>
      <Csrf page={page} />
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <Field name="name" label="Nom" value={v.name} error={f.name} required />
      <Field name="description" label="Présentation" value={v.description}
        multiline />
      <Field name="criteria" label="Critères" value={v.criteria}
        error={f.criteria} multiline required
        hint="Un critère par ligne : les objectifs et disciplines de la Charte." />
      <button type="submit">{submit}</button>
    </form>
  );
}

export function LabelsAdminPage({ page, labels, form }: {
  page: PageCtx; labels: Label[]; form: FormState;
}) {
  return (
    <AdminNav>
      <h1>Labels</h1>
      {labels.length === 0 ? <p>Aucun label.</p> : (
        <ul>
          {labels.map((l) => (
            <li>
              <a href={`/admin/labels/${l.id}`}>{l.name}</a>
              {" "}— {l.criteria.length} critère{l.criteria.length > 1 && "s"}
            </li>
          ))}
        </ul>
      )}
      <h2>Nouveau label</h2>
      <LabelForm page={page} action="/admin/labels" form={form}
        submit="Créer le label" />
    </AdminNav>
  );
}

export function LabelEditPage({ page, label, form }: {
  page: PageCtx; label: Label; form: FormState;
}) {
  const values = form.values ?? { name: label.name,
    description: label.description, criteria: label.criteria.join("\n") };

  return (
    <AdminNav>
      <h1>Label « {label.name} »</h1>
      <LabelForm page={page} action={`/admin/labels/${label.id}`}
        form={{ ...form, values }} submit="Enregistrer" />
    </AdminNav>
  );
}

export function CollectivesPage({ page, collectives, form }: {
  page: PageCtx; collectives: CollectiveWithMembers[]; form: FormState;
}) {
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};

  return (
    <AdminNav>
      <h1>Collectifs de labellisation</h1>
      {collectives.map((c) => (
        <section aria-labelledby={`c-${c.id}`}>
          <h2 id={`c-${c.id}`}>{c.name}</h2>
          <p>Du {formatDate(new Date(`${c.startsOn}T12:00:00Z`))} au
            {" "}{formatDate(new Date(`${c.endsOn}T12:00:00Z`))}. Quorum :
            {" "}{describeQuorum(c.quorumKind, c.quorumValue)} ;
            {" "}{MAJORITY_LABELS[c.majority]}.</p>
          <ul>
            {c.members.map((m) => (
              <li>
                {m.fullName} ({m.email}){" "}
                <form method="post" class="inline"
                  action={`/admin/collectifs/${c.id}/membres/${m.personId}/retrait`}>
                  <Csrf page={page} />
                  <button type="submit" class="link">
                    Retirer<span class="visually-hidden"> {m.fullName}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <form method="post" action={`/admin/collectifs/${c.id}/membres`}>
            <Csrf page={page} />
            <div class="field">
              <label for={`add-${c.id}`}>Ajouter un membre (adresse
                e-mail)</label>
              <input id={`add-${c.id}`} name="email" type="email" required />
            </div>
            <button type="submit" class="secondary">Ajouter</button>
          </form>
        </section>
      ))}
      <h2>Nommer un collectif</h2>
      <form method="post" action="/admin/collectifs">
        <Csrf page={page} />
        <ErrorSummary message={form.error?.message}
          fields={form.error?.fields} />
        <Field name="name" label="Nom" value={v.name} error={f.name} required />
        <Field name="startsOn" label="Début du mandat" type="date"
          value={v.startsOn} error={f.startsOn} required />
        <Field name="endsOn" label="Fin du mandat" type="date"
          value={v.endsOn} error={f.endsOn} required />
        <Select name="quorumKind" label="Quorum exprimé en" value={v.quorumKind}
          error={f.quorumKind} required options={[
            { value: "share", label: "pourcentage des membres" },
            { value: "count", label: "nombre de membres" }]} />
        <Field name="quorumValue" label="Valeur du quorum" type="number"
          value={v.quorumValue} error={f.quorumValue} required />
        <Select name="majority" label="Majorité" value={v.majority}
          error={f.majority} required options={[
            { value: "simple", label: "majorité simple" },
            { value: "two_thirds", label: "majorité des deux tiers" }]} />
        <Field name="memberEmails" label="Membres" value={v.memberEmails}
          error={f.memberEmails} multiline required
          hint="Les adresses e-mail des membres, une par ligne." />
        <button type="submit">Nommer le collectif</button>
      </form>
    </AdminNav>
  );
}

type ProposalRow = Awaited<ReturnType<typeof findProposals>>[number];

const STATUS_LABELS = { open: "vote en cours", granted: "label attribué",
  refused: "label refusé" } as const;

export function ProposalsPage({ labels, proposals }: {
  labels: Label[]; proposals: ProposalRow[];
}) {
  return (
    <AdminNav>
      <h1>Propositions de label</h1>
      <form method="get" action="/admin/propositions/nouvelle">
        <Select name="label" label="Proposer une initiative pour le label"
          required options={labels.map((l) => ({ value: l.id,
            label: l.name }))} />
        <button type="submit">Continuer</button>
      </form>
      <table>
        <caption>Propositions</caption>
        <thead><tr><th scope="col">Initiative</th><th scope="col">Label</th>
          <th scope="col">Collectif</th><th scope="col">État</th></tr></thead>
        <tbody>
          {proposals.map((p) => (
            <tr>
              <td><a href={`/admin/propositions/${p.proposal.id}`}>
                {p.initiativeTitle}</a></td>
              <td>{p.labelName}</td>
              <td>{p.collectiveName}</td>
              <td>{STATUS_LABELS[p.proposal.status]}
                {p.grant?.withdrawnAt && " (retiré)"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminNav>
  );
}

export function NewProposalPage({ page, label, initiatives, collectives,
  sessions, form }: {
  page: PageCtx; label: Label; form: FormState;
  initiatives: { id: string; title: string }[];
  collectives: { id: string; name: string }[];
  sessions: { id: string; title: string; startsAt: Date }[];
}) {
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};

  return (
    <AdminNav>
      <h1>Proposer une initiative pour le label « {label.name} »</h1>
      <form method="post" action="/admin/propositions">
        <Csrf page={page} />
        <input type="hidden" name="labelId" value={label.id} />
        <ErrorSummary message={form.error?.message}
          fields={form.error?.fields} />
        <Select name="initiativeId" label="Initiative (publiée)"
          value={v.initiativeId} error={f.initiativeId} required empty=""
          options={initiatives.map((i) => ({ value: i.id, label: i.title }))} />
        <Select name="collectiveId" label="Collectif qui vote"
          value={v.collectiveId} error={f.collectiveId} required empty=""
          options={collectives.map((c) => ({ value: c.id, label: c.name }))} />
        <Field name="closesAt" label="Fin du scrutin (heure de Paris)"
          type="datetime-local" value={v.closesAt} error={f.closesAt}
          required />
        <Select name="occurrenceId" label="Session de labellisation"
          value={v.occurrenceId} error={f.occurrenceId} empty="Aucune"
          options={sessions.map((s) => ({ value: s.id,
            label: `${s.title} — ${formatDateTime(s.startsAt)}` }))} />
        <fieldset>
          <legend>Lecture de l'association, critère par critère</legend>
          {label.criteria.map((criterion, i) => (
            <Field name={`reading${i}`} label={criterion}
              value={v[`reading${i}`]} error={f[`reading${i}`]}
              multiline required />
          ))}
        </fieldset>
        <button type="submit">Proposer et ouvrir le scrutin</button>
      </form>
    </AdminNav>
  );
}

export function ProposalPage({ page, row, form }: {
  page: PageCtx; row: ProposalRow; form: FormState;
}) {
  const { proposal, ballot, grant } = row;
  const f = form.error?.fields ?? {};

  return (
    <AdminNav>
      <h1>« {row.initiativeTitle} » pour le label « {row.labelName} »</h1>
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <p>Collectif : {row.collectiveName}. <a href={`/scrutins/${ballot.id}`}>
        Page du scrutin</a>.</p>
      <dl>
        {proposal.readings.map((r) => (
          <><dt>{r.criterion}</dt><dd>{r.reading}</dd></>
        ))}
      </dl>
      {ballot.status === "open" ? (
        <form method="post" action={`/admin/propositions/${proposal.id}/cloture`}>
          <Csrf page={page} />
          <p>Le scrutin est ouvert jusqu'au {formatDateTime(ballot.closesAt)}.
            Les résultats restent cachés jusqu'à la clôture.</p>
          <button type="submit">Clore le scrutin maintenant</button>
        </form>
      ) : (
        <>
          <h2>Décision : {OUTCOME_LABELS[ballot.outcome!]}</h2>
          <p>{ballot.votesCast} votes sur {ballot.electorateSize} : pour
            {" "}{ballot.forCount}, contre {ballot.againstCount}, abstentions
            {" "}{ballot.abstainCount}.</p>
          <form method="post" action={`/admin/propositions/${proposal.id}/motifs`}>
            <Csrf page={page} />
            <Field name="reasons" label="Motifs de la décision" multiline
              required value={form.values?.reasons ?? proposal.reasons}
              error={f.reasons} />
            <button type="submit">Enregistrer les motifs</button>
          </form>
        </>
      )}
      {grant && (grant.withdrawnAt ? (
        <p>Label retiré le {formatDateTime(grant.withdrawnAt)} : {
          grant.withdrawalReason}</p>
      ) : (
        <form method="post" action={`/admin/propositions/${proposal.id}/retrait`}>
          <Csrf page={page} />
          <h2>Retirer le label</h2>
          <Field name="reason" label="Motif du retrait" multiline required
            value={form.values?.reason} error={f.reason} />
          <button type="submit" class="danger">Retirer le label</button>
        </form>
      ))}
    </AdminNav>
  );
}

export function RegisterPage({ labels, entries, current }: {
  labels: Label[]; entries: RegisterEntry[]; current?: string;
}) {
  const held = entries.filter((e) => !e.withdrawnAt);
  const withdrawn = entries.filter((e) => e.withdrawnAt);

  return (
    <section>
      <h1>Registre des labels</h1>
      <p>Les initiatives labellisées par l'Alliance, après le vote d'un
        collectif de labellisation. <a href="/labels/flux.xml">S'abonner au
        flux</a>.</p>
      <nav aria-label="Filtrer par label">
        <ul class="tags">
          <li><a href="/labels" aria-current={!current ? "page" : undefined}>
            Tous</a></li>
          {labels.map((l) => (
            <li><a href={`/labels?label=${l.slug}`}
              aria-current={current === l.slug ? "page" : undefined}>
              {l.name}</a></li>
          ))}
        </ul>
      </nav>
      <h2>Initiatives labellisées</h2>
      {held.length === 0 ? <p>Aucune initiative labellisée.</p> : (
        <ul class="cards">
          {held.map((e) => <RegisterCard entry={e} />)}
        </ul>
      )}
      <h2>Historique des retraits</h2>
      {withdrawn.length === 0 ? <p>Aucun label retiré.</p> : (
        <ul class="cards">
          {withdrawn.map((e) => <RegisterCard entry={e} />)}
        </ul>
      )}
    </section>
  );
}

function RegisterCard({ entry: e }: { entry: RegisterEntry }) {
  return (
    <li>
      <h3><a href={`/initiatives/${e.initiativeSlug}`}>{e.initiativeTitle}</a></h3>
      <p>Label « {e.labelName} », attribué le {formatDate(e.grantedAt)}.</p>
      {e.carriers.length > 0 && <p>Portée par {e.carriers.join(", ")}.</p>}
      {e.initiativeSummary && <p>{e.initiativeSummary}</p>}
      {e.reasons && <p>Motifs : {e.reasons}</p>}
      {e.withdrawnAt && (
        <p><strong>Retiré le {formatDate(e.withdrawnAt)}</strong> : {
          e.withdrawalReason}</p>
      )}
    </li>
  );
}
