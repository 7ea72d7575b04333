import { ErrorSummary, type PageCtx } from "../../web/layout.tsx";
import { formatDateTime } from "../../web/format.ts";
import type { DiffPart } from "./diff.ts";
import type { compareVersions } from "./queries.ts";
import type { findVersions } from "./texts.ts";
import { DoctrineNav } from "./views.tsx";

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

/** A text's versions, each with a link to what it changed. */
export function History({ slug, versions }: { slug: string; versions: Versions }) {
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
