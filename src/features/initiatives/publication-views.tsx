import { Csrf, Field, type PageCtx } from "../../web/layout.tsx";
import { formatShortDate } from "../../web/format.ts";
import type { InitiativeSummary } from "./initiative-lists.ts";

export function UnpublishForm(
  { page, slug, error }: { page: PageCtx; slug: string; error?: string },
) {
  return (
    <form method="post" action={`/initiatives/${slug}/retirer`}>
      <Csrf page={page} />
      <Field name="reason" label="Raison du retrait (envoyée aux porteur·ses)"
        required multiline error={error} />
      <button type="submit" class="danger">Retirer de la publication</button>
    </form>
  );
}

export function ModerationPage(
  { page, items }: { page: PageCtx; items: InitiativeSummary[] },
) {
  const submitted = items.filter((i) => i.status === "submitted");
  const published = items.filter((i) => i.status === "published");

  return (
    <section>
      <h1>Modération des initiatives</h1>
      <p><a href="/admin/mutualisations">Opportunités de mutualisation
        engagées</a></p>
      <h2>À publier</h2>
      {submitted.length === 0 ? <p>Aucune initiative en attente.</p> : (
        <ul>
          {submitted.map((i) => (
            <li>
              <a href={`/initiatives/${i.slug}`}>{i.title}</a>
              {" "}({i.carriers.join(", ")}){" "}
              <form method="post" action={`/initiatives/${i.slug}/publier`}
                class="inline">
                <Csrf page={page} />
                <button type="submit">Publier</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>Publiées</h2>
      <ul>
        {published.map((i) => (
          <li><a href={`/initiatives/${i.slug}`}>{i.title}</a>
            {i.publishedAt && ` — publiée le ${formatShortDate(i.publishedAt)}`}
          </li>
        ))}
      </ul>
    </section>
  );
}
