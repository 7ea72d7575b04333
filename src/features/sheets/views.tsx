import { fileNameFor } from "../../domain/file-types.ts";
import { Csrf, ErrorSummary, Field, type PageCtx } from "../../web/layout.tsx";
import { SECTION_TITLES } from "./content.ts";
import {
  citationOf, People, SheetBody, Sources, type Comment,
} from "./content-views.tsx";
import type { SheetPage } from "./sheets.ts";
import { SHEET_SECTIONS, type SheetStatus } from "./tables.ts";
import type { AttestedCompetence } from "./attestation.ts";

export interface FormState {
  values?: Record<string, string | string[] | undefined>;
  error?: { message: string; fields: Record<string, string> };
}

export const STATUS_LABELS: Record<SheetStatus, string> = {
  draft: "Brouillon",
  submitted: "Soumise à relecture",
  published: "Publiée",
  sent_back: "Renvoyée aux auteur·es",
};

/**
 * Where a sheet stands now. A published sheet sent back is withdrawn: it
 * keeps its first publication date for when it is published again, but
 * it is not published any more.
 */
export const stateOf = (sheet: {
  status: SheetStatus; publishedAt: Date | null;
}) => sheet.status === "sent_back" && sheet.publishedAt
  ? "Retirée pour révision" : STATUS_LABELS[sheet.status];

/** A form value as a field's text: several values, one per line. */
export const str = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v.join("\n") : v ?? "";

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
        <p class="status">État : <strong>{stateOf(s)}</strong></p>
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
        <ul>{data.attachments.map((a) => ({ ...a,
          name: fileNameFor(a.originalName, a.contentType, "piece-jointe") }))
          .map((a) => (
          <li><a href={`${base}/pieces/${a.id}`}>{a.name}</a>
            {" "}<span class="muted">({a.contentType === "application/pdf"
              ? "PDF" : "image"}, {sizeOf(a.size)})</span>
            {data.rights.edit && (
              <form method="post" class="inline"
                action={`${base}/pieces/${a.id}/retirer`}>
                <Csrf page={page} />{" "}
                <button type="submit" class="link">Retirer
                  <span class="visually-hidden"> {a.name}</span>
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
