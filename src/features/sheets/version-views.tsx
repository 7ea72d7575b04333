import { formatDateTime } from "../../web/format.ts";
import type { SectionDiff } from "./versions.ts";

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
