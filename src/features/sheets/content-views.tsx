import { formatDate, formatDateTime, formatShortDate } from "../../web/format.ts";
import { parisParts } from "../../domain/time.ts";
import { renderMarkdown } from "../../web/markdown.ts";
import { SECTION_TITLES, TEXT_SECTIONS } from "./content.ts";
import type { SheetPage } from "./sheets.ts";
import type { sheetComments } from "./tables.ts";

export type Comment = typeof sheetComments.$inferSelect;

const Markdown = ({ text }: { text: string }) => text
  ? <div class="prose" dangerouslySetInnerHTML={{
    __html: renderMarkdown(text) }} />
  : null;

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

/** Who wrote the sheet, who accompanied it, when it was published. */
export function People({ data }: { data: SheetPage }) {
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
      {/* A withdrawn sheet keeps the date, but is not published now. */}
      {data.sheet.status === "published" && data.sheet.publishedAt && <>
        <dt>Publiée le</dt><dd>{formatDate(data.sheet.publishedAt)}</dd>
      </>}
    </dl>
  );
}

/** The initiatives and events the experience comes from. */
export function Sources({ data }: { data: SheetPage }) {
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
