import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { formatDate, formatDateTime, formatShortDate } from "../../web/format.ts";
import { parisParts } from "../../domain/time.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import { SECTION_TITLES, TEXT_SECTIONS } from "./content.ts";
import type {
  SheetFormChoices, SheetListItem, SheetPage,
} from "./sheets.ts";
import { SHEET_SECTIONS, type SheetStatus, sheetComments } from "./tables.ts";
import type { AttestedCompetence } from "./attestation.ts";
import type { SectionDiff } from "./versions.ts";

export interface FormState {
  values?: Record<string, string | string[] | undefined>;
  error?: { message: string; fields: Record<string, string> };
}

type Comment = typeof sheetComments.$inferSelect;

export const STATUS_LABELS: Record<SheetStatus, string> = {
  draft: "Brouillon",
  submitted: "Soumise à relecture",
  published: "Publiée",
  sent_back: "Renvoyée aux auteur·es",
};

const Markdown = ({ text }: { text: string }) => text
  ? <div class="prose" dangerouslySetInnerHTML={{
    __html: renderMarkdown(text) }} />
  : null;

function SheetList({ items, showStatus }: {
  items: SheetListItem[]; showStatus?: boolean;
}) {
  return (
    <ul class="agenda-list">
      {items.map((s) => (
        <li>
          <h3><a href={`/fiches/${s.slug}`}>{s.title}</a></h3>
          <p class="muted">{s.authors.join(", ") || "Sans auteur·e"}
            {s.publishedAt && ` · publiée le ${formatShortDate(s.publishedAt)}`}
            {showStatus && ` · ${STATUS_LABELS[s.status]}`}</p>
          {s.summary && <p>{s.summary}</p>}
        </li>
      ))}
    </ul>
  );
}

/** Published sheets, and the signed-in person's sheets in progress. */
export function SheetsIndexPage({ page, published, mine }: {
  page: PageCtx; published: SheetListItem[]; mine: SheetListItem[];
}) {
  return (
    <section>
      <h1>Fiches d'expérience</h1>
      <p>Ce que des allié·es ont fait et appris, écrit avec un·e
        maïeuticien·ne selon le cycle de médiation.</p>
      {page.actor.kind === "person" ? (
        <p><a class="button" href="/fiches/nouvelle">Écrire une fiche</a>
          {" "}<a href="/maieuticiens">Les maïeuticien·nes</a></p>
      ) : <p><a href="/connexion?suite=%2Ffiches">Connectez-vous</a> pour
        écrire une fiche.</p>}
      {mine.length > 0 && <>
        <h2>Mes fiches en cours</h2>
        <SheetList items={mine} showStatus />
      </>}
      <h2>Fiches publiées</h2>
      {published.length === 0 ? <p>Aucune fiche publiée pour l'instant.</p>
        : <SheetList items={published} />}
    </section>
  );
}

const str = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v.join("\n") : v ?? "";
const list = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v : v ? [v] : [];

/** The form that starts or edits a sheet, one field per section. */
export function SheetForm({ page, action, form, choices, submit }: {
  page: PageCtx; action: string; form: FormState;
  choices: SheetFormChoices; submit: string;
}) {
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};
  const orgs = list(v.organisationIds);
  const inits = list(v.initiativeIds);
  const evs = list(v.eventIds);
  const md = "Texte en Markdown.";

  return (
    <form method="post" action={action} novalidate>
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      <Csrf page={page} />
      <input type="hidden" name="version" value={str(v.version)} />
      <Field name="title" label="Titre" value={str(v.title)} error={f.title}
        required />
      <Field name="summary" label="Résumé" value={str(v.summary)}
        error={f.summary} multiline hint="Quelques phrases : ce que la fiche
          raconte et ce qu'on en retient." />
      <h2>Le récit</h2>
      {TEXT_SECTIONS.slice(0, 2).map((name) => (
        <Field name={name} label={SECTION_TITLES[name]} value={str(v[name])}
          error={f[name]} multiline hint={md} />
      ))}
      <Field name="trajectory" label="Trajectoire" value={str(v.trajectory)}
        error={f.trajectory} multiline hint="Une étape datée par ligne :
          « 2021-03 : premier atelier avec les élu·es »." />
      {TEXT_SECTIONS.slice(2).map((name) => (
        <Field name={name} label={SECTION_TITLES[name]} value={str(v[name])}
          error={f[name]} multiline hint={md} />
      ))}
      <h2>Descripteurs</h2>
      <Field name="themes" label="Thématiques" value={str(v.themes)} multiline
        hint="Une par ligne, ou séparées par des points-virgules." />
      <Field name="competences" label="Compétences mises en œuvre"
        value={str(v.competences)} multiline hint="Une par ligne. Une fois la
          fiche publiée, elles sont attestées pour ses auteur·es et leurs
          structures." />
      <Field name="tools" label="Outils" value={str(v.tools)} multiline
        hint="Un par ligne." />
      <Field name="methods" label="Méthodes pédagogiques"
        value={str(v.methods)} multiline hint="Une par ligne." />
      <Field name="territories" label="Territoires" value={str(v.territories)}
        error={f.territories} multiline hint="Un par ligne : commune, EPCI,
          département ou région, par exemple « Loos-en-Gohelle (62) »." />
      <h2>Auteur·es et maïeuticien·ne</h2>
      <Field name="coauthors" label="Autres auteur·es"
        value={str(v.coauthors)} error={f.coauthors} multiline
        hint="Adresse e-mail de chaque allié·e qui écrit avec vous, une par
          ligne." />
      <div class={f.facilitatorId ? "field has-error" : "field"}>
        <label for="f-facilitatorId">Maïeuticien·ne</label>
        <p class="hint" id="f-facilitatorId-hint">Il·elle accompagne
          l'écriture et soumet la fiche à l'équipe.</p>
        {f.facilitatorId && <p class="error" id="f-facilitatorId-error">
          {f.facilitatorId}</p>}
        <select id="f-facilitatorId" name="facilitatorId"
          aria-describedby={`f-facilitatorId-hint${f.facilitatorId
            ? " f-facilitatorId-error" : ""}`}>
          <option value="">Pas encore choisi·e</option>
          {choices.facilitators.map((p) => (
            <option value={p.id} selected={str(v.facilitatorId) === p.id}>
              {p.fullName}</option>
          ))}
        </select>
      </div>
      {choices.organisations.length > 0 && (
        <fieldset id="f-organisationIds" class="field">
          <legend>Structures au nom desquelles la fiche est écrite</legend>
          {f.organisationIds && <p class="error">{f.organisationIds}</p>}
          {choices.organisations.map((o) => (
            <div>
              <input type="checkbox" id={`org-${o.id}`} name="organisationIds"
                value={o.id} checked={orgs.includes(o.id)} />
              <label class="inline" for={`org-${o.id}`}>{o.name}</label>
            </div>
          ))}
        </fieldset>
      )}
      <h2>D'où vient cette expérience</h2>
      <MultiSelect name="initiativeIds" label="Initiatives liées"
        error={f.initiativeIds} selected={inits}
        options={choices.initiatives.map((i) => [i.id, i.title])} />
      <MultiSelect name="eventIds" label="Événements liés" error={f.eventIds}
        selected={evs} options={choices.events.map((e) => [e.id,
          `${e.title} (${formatShortDate(e.startsAt)})`])} />
      <button type="submit">{submit}</button>
    </form>
  );
}

function MultiSelect(p: {
  name: string; label: string; error?: string; selected: string[];
  options: [string, string][];
}) {
  const id = `f-${p.name}`;

  return (
    <div class={p.error ? "field has-error" : "field"}>
      <label for={id}>{p.label}</label>
      <p class="hint" id={`${id}-hint`}>Ctrl ou Cmd + clic pour en choisir
        plusieurs.</p>
      {p.error && <p class="error" id={`${id}-error`}>{p.error}</p>}
      <select id={id} name={p.name} multiple size={5}
        aria-describedby={`${id}-hint${p.error ? ` ${id}-error` : ""}`}>
        {p.options.map(([value, label]) => (
          <option value={value} selected={p.selected.includes(value)}>
            {label}</option>
        ))}
      </select>
    </div>
  );
}

/** "Camille Martin, Lou Durand. « Titre ». Fiche d'expérience, …" */
export function citationOf(data: SheetPage, siteName: string, url: string) {
  const { year } = parisParts(data.sheet.publishedAt ?? data.sheet.updatedAt);
  const authors = data.authors.map((a) => a.fullName).join(", ");

  return `${authors ? `${authors}. ` : ""}« ${data.sheet.title} ». Fiche `
    + `d'expérience, ${siteName}, ${year}. ${url}`;
}

function SectionComments({ comments }: { comments: Comment[] }) {
  if (comments.length === 0) return null;

  return (
    <aside class="comments" aria-label="Commentaires sur cette section">
      <ul>
        {comments.map((c) => (
          <li><strong>{c.authorName}</strong>{" "}
            <span class="muted">({formatDateTime(c.createdAt)})</span> :
            {" "}{c.body}</li>
        ))}
      </ul>
    </aside>
  );
}

/** The body of a sheet: its sections, descriptors and sources. */
export function SheetBody({ data, comments = [] }: {
  data: SheetPage; comments?: Comment[];
}) {
  const s = data.sheet;
  const of = (section: string) => comments.filter((c) => c.section === section);
  const tagList = (title: string, items: string[]) => items.length > 0 && (
    <><h3>{title}</h3><ul class="tags">{items.map((t) => <li>{t}</li>)}</ul></>
  );

  return (
    <>
      {s.summary && <p class="lead">{s.summary}</p>}
      <SectionComments comments={of("summary")} />
      {TEXT_SECTIONS.slice(0, 2).map((name) => (
        <Section title={SECTION_TITLES[name]} text={s[name]}
          comments={of(name)} />
      ))}
      <section>
        <h2>Trajectoire</h2>
        {s.trajectory.length === 0 ? <p class="muted">Non renseignée.</p> : (
          <ol class="trajectory">{s.trajectory.map((step) => (
            <li><strong>{step.date}</strong> — {step.text}</li>
          ))}</ol>
        )}
        <SectionComments comments={of("trajectory")} />
      </section>
      {TEXT_SECTIONS.slice(2).map((name) => (
        <Section title={SECTION_TITLES[name]} text={s[name]}
          comments={of(name)} />
      ))}
      <section>
        <h2>Descripteurs</h2>
        {tagList("Thématiques", s.themes)}
        {tagList("Compétences mises en œuvre", s.competences)}
        {tagList("Outils", s.tools)}
        {tagList("Méthodes pédagogiques", s.methods)}
        {tagList("Territoires", data.territories.map((t) => t.label))}
        <SectionComments comments={of("descriptors")} />
      </section>
    </>
  );
}

function Section({ title, text, comments }: {
  title: string; text: string; comments: Comment[];
}) {
  return (
    <section>
      <h2>{title}</h2>
      {text ? <Markdown text={text} /> : <p class="muted">Non renseigné.</p>}
      <SectionComments comments={comments} />
    </section>
  );
}

function People({ data }: { data: SheetPage }) {
  return (
    <dl class="sheet-meta">
      <dt>Auteur·es</dt>
      <dd>{data.authors.map((a, i) => <>{i > 0 && ", "}
        <a href={`/personnes/${a.id}`}>{a.fullName}</a></>)}</dd>
      <dt>Maïeuticien·ne</dt>
      <dd>{data.facilitator ? <a href={`/personnes/${data.facilitator.id}`}>
        {data.facilitator.fullName}</a> : "Pas encore choisi·e"}</dd>
      {data.organisations.length > 0 && <>
        <dt>Structures</dt>
        <dd>{data.organisations.map((o, i) => <>{i > 0 && ", "}
          <a href={`/annuaire/${o.slug}`}>{o.name}</a></>)}</dd>
      </>}
      {data.sheet.publishedAt && <>
        <dt>Publiée le</dt><dd>{formatDate(data.sheet.publishedAt)}</dd>
      </>}
    </dl>
  );
}

/** A sheet, with what its writers and staff may do with it. */
export function SheetView({ page, data, comments, url, form }: {
  page: PageCtx; data: SheetPage; comments: Comment[]; url: string;
  form: FormState;
}) {
  const s = data.sheet;
  const { rights } = data;
  const base = `/fiches/${s.slug}`;
  const v = form.values ?? {};
  const f = form.error?.fields ?? {};

  return (
    <article class="sheet">
      <h1>{s.title}</h1>
      {s.status !== "published" && (
        <p class="status">État : <strong>{STATUS_LABELS[s.status]}</strong></p>
      )}
      <ErrorSummary message={form.error?.message} fields={form.error?.fields} />
      {s.status === "sent_back" && s.reviewRemarks
        && (rights.writer || rights.review) && (
        <div class="remarks">
          <h2>Remarques de l'équipe</h2>
          <p class="pre">{s.reviewRemarks}</p>
        </div>
      )}
      <People data={data} />
      <nav aria-label="Actions sur la fiche" class="sheet-actions">
        <ul class="tags">
          {rights.edit && <li><a href={`${base}/modifier`}>Modifier</a></li>}
          {s.status === "published" && <>
            <li><a href={`${base}/versions`}>Historique des versions</a></li>
            <li><a href={`${base}/imprimer`}>Version imprimable</a></li>
          </>}
        </ul>
      </nav>
      {rights.submit && (
        <form method="post" action={`${base}/soumettre`}>
          <Csrf page={page} />
          <button type="submit">Soumettre à l'équipe pour relecture</button>
        </form>
      )}
      {rights.review && s.status === "submitted" && (
        <form method="post" action={`${base}/publier`}>
          <Csrf page={page} />
          <button type="submit">Publier la fiche</button>
        </form>
      )}
      {rights.review && (s.status === "submitted"
        || s.status === "published") && (
        <form method="post" action={`${base}/renvoyer`}>
          <Csrf page={page} />
          <Field name="remarks" label={s.status === "published"
            ? "Retirer pour révision : remarques aux auteur·es"
            : "Renvoyer aux auteur·es avec des remarques"}
          value={str(v.remarks)} error={f.remarks} multiline />
          <button type="submit" class="secondary">
            {s.status === "published" ? "Retirer et renvoyer" : "Renvoyer"}
          </button>
        </form>
      )}
      <SheetBody data={data} comments={comments} />
      <Sources data={data} />
      <Attachments page={page} data={data} error={f.file} />
      {rights.comment && (
        <section>
          <h2>Commenter une section</h2>
          <form method="post" action={`${base}/commentaires`}>
            <Csrf page={page} />
            <div class="field">
              <label for="f-section">Section</label>
              <select id="f-section" name="section">
                {SHEET_SECTIONS.map((key) => (
                  <option value={key} selected={v.section === key}>
                    {SECTION_TITLES[key]}</option>
                ))}
              </select>
            </div>
            <Field name="body" label="Commentaire" value={str(v.body)}
              error={f.body} multiline />
            <button type="submit">Commenter</button>
          </form>
        </section>
      )}
      {s.status === "published" && (
        <section>
          <h2>Citer cette fiche</h2>
          <p class="citation">{citationOf(data, page.siteName, url)}</p>
        </section>
      )}
    </article>
  );
}

function Sources({ data }: { data: SheetPage }) {
  if (data.initiatives.length === 0 && data.events.length === 0) return null;

  return (
    <section>
      <h2>D'où vient cette expérience</h2>
      <ul>
        {data.initiatives.map((i) => <li>Initiative : {i.title}</li>)}
        {data.events.map((e) => (
          <li>Événement : <a href={`/agenda/${e.slug}`}>{e.title}</a>
            {" "}({formatShortDate(e.startsAt)})</li>
        ))}
      </ul>
    </section>
  );
}

const sizeOf = (n: number) => n >= 1024 * 1024
  ? `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} Mo`
  : `${Math.max(1, Math.round(n / 1024))} Ko`;

function Attachments({ page, data, error }: {
  page: PageCtx; data: SheetPage; error?: string;
}) {
  const base = `/fiches/${data.sheet.slug}`;
  if (data.attachments.length === 0 && !data.rights.edit) return null;

  return (
    <section>
      <h2>Pièces jointes</h2>
      {data.attachments.length === 0 ? <p>Aucune pièce jointe.</p> : (
        <ul>{data.attachments.map((a) => (
          <li><a href={`${base}/pieces/${a.id}`}>{a.originalName}</a>
            {" "}<span class="muted">({a.contentType === "application/pdf"
              ? "PDF" : "image"}, {sizeOf(a.size)})</span>
            {data.rights.edit && (
              <form method="post" class="inline"
                action={`${base}/pieces/${a.id}/retirer`}>
                <Csrf page={page} />{" "}
                <button type="submit" class="link">Retirer
                  <span class="visually-hidden"> {a.originalName}</span>
                </button>
              </form>
            )}
          </li>
        ))}</ul>
      )}
      {data.rights.edit && (
        <form method="post" enctype="multipart/form-data"
          action={`${base}/pieces?_csrf=${encodeURIComponent(page.csrfToken)}`}>
          <div class={error ? "field has-error" : "field"}>
            <label for="f-file">Joindre un fichier</label>
            <p class="hint" id="f-file-hint">PDF ou image PNG, JPEG, WebP ;
              10 Mo au plus.</p>
            {error && <p class="error" id="f-file-error">{error}</p>}
            <input type="file" id="f-file" name="file"
              accept="application/pdf,image/png,image/jpeg,image/webp"
              aria-describedby={`f-file-hint${error ? " f-file-error" : ""}`} />
          </div>
          <button type="submit">Joindre</button>
        </form>
      )}
    </section>
  );
}

/** The sheet alone, for paper: no forms, citation at the end. */
export function SheetPrintView({ page, data, url }: {
  page: PageCtx; data: SheetPage; url: string;
}) {
  return (
    <article class="sheet print">
      <h1>{data.sheet.title}</h1>
      <People data={data} />
      <SheetBody data={data} />
      <Sources data={data} />
      <p class="citation">{citationOf(data, page.siteName, url)}</p>
    </article>
  );
}

/** A sheet's versions, and the comparison of two of them. */
export function VersionsView({ slug, title, versions, diff }: {
  slug: string; title: string;
  versions: { number: number; reason: string; changedByName: string;
    createdAt: Date }[];
  diff?: { from: number; to: number; sections: SectionDiff[] };
}) {
  const newest = versions[0]?.number ?? 1;
  const from = diff?.from ?? Math.max(1, newest - 1);
  const to = diff?.to ?? newest;

  return (
    <section>
      <h1>Historique : {title}</h1>
      <p><a href={`/fiches/${slug}`}>Retour à la fiche</a></p>
      {versions.length === 0 ? <p>Aucune version publiée.</p> : (
        <table>
          <caption class="visually-hidden">Versions de la fiche</caption>
          <thead><tr><th scope="col">Version</th><th scope="col">Date</th>
            <th scope="col">Par</th><th scope="col">Quoi</th></tr></thead>
          <tbody>{versions.map((v) => (
            <tr><td>{v.number}</td><td>{formatDateTime(v.createdAt)}</td>
              <td>{v.changedByName}</td>
              <td>{v.reason === "published" ? "Publication"
                : "Correction de la fiche publiée"}</td></tr>
          ))}</tbody>
        </table>
      )}
      {versions.length > 1 && (
        <form method="get" action={`/fiches/${slug}/versions`}
          class="filters">
          <VersionSelect name="de" label="Comparer la version"
            versions={versions} value={from} />
          <VersionSelect name="a" label="avec la version" versions={versions}
            value={to} />
          <button type="submit">Comparer</button>
        </form>
      )}
      {diff && (
        <section>
          <h2>Changements de la version {diff.from} à la version {diff.to}</h2>
          {diff.sections.length === 0 ? <p>Aucun changement.</p>
            : diff.sections.map((s) => (
              <section class="diff">
                <h3>{s.title}</h3>
                <p class="pre">{s.parts.map((p) => p.kind === "added"
                  ? <ins>{p.text}</ins> : p.kind === "removed"
                    ? <del>{p.text}</del> : <span>{p.text}</span>)}</p>
              </section>
            ))}
        </section>
      )}
    </section>
  );
}

function VersionSelect({ name, label, versions, value }: {
  name: string; label: string; versions: { number: number }[];
  value: number;
}) {
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        {versions.map((v) => (
          <option value={String(v.number)} selected={v.number === value}>
            {v.number}</option>
        ))}
      </select>
    </div>
  );
}

/** Staff's review queue. */
export function ReviewQueueView({ items }: { items: SheetListItem[] }) {
  return (
    <section>
      <h1>Relecture des fiches</h1>
      {items.length === 0 ? <p>Aucune fiche en attente.</p>
        : <SheetList items={items} showStatus />}
    </section>
  );
}

/** On a profile: the competences published sheets attest, with them. */
export function AttestedCompetences({ items }: {
  items: AttestedCompetence[];
}) {
  if (items.length === 0) return null;

  return (
    <section>
      <h2>Compétences attestées par des fiches</h2>
      <ul>{items.map((c) => (
        <li>{c.competence} : {c.sheets.map((sheet, i) => <>{i > 0 && ", "}
          <a href={`/fiches/${sheet.slug}`}>{sheet.title}</a></>)}</li>
      ))}</ul>
    </section>
  );
}
