import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePerson } from "../../domain/context.ts";
import { DomainError, invalid } from "../../domain/errors.ts";
import { ownValue } from "../../domain/records.ts";
import { createFeed } from "../../web/feed.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { splitList } from "../directory/labels.ts";
import { SHEET_KIND } from "./labels.ts";
import { resolveTerritory } from "../territories/search.ts";
import {
  depositDocument, findDepositOrganisations, findDocuments,
  getDocument, getDocumentFile, type DocumentRow,
} from "./documents.ts";
import { MAX_FILE_BYTES } from "./files.ts";
import { findRecentPublications } from "./recent-publications.ts";
import { MAX_PER_PAGE, searchLibrary } from "./search.ts";
import { highlightText, segmentsToHtml } from "./search-highlights.ts";
import { FACET_NAMES, SAVED_VIEWS, type LibraryQuery } from "./search-query.ts";
import { DOCUMENT_KINDS } from "./tables.ts";
import {
  DepositForm, DocumentView, LibraryView, type FormValues,
  type LibraryFilters,
} from "./views.tsx";

const SearchQuery = Type.Object({
  // Long queries are cut by the search, not refused here.
  q: Type.Optional(Type.String({ maxLength: 20000,
    description: "Mots ; \"expression exacte\" ; -mot exclu" })),
  kind: Type.Optional(Type.String({ maxLength: 40,
    description: "Type de document, ou experience_sheet" })),
  theme: Type.Optional(Type.String({ maxLength: 200 })),
  territory: Type.Optional(Type.String({ maxLength: 40,
    description: "Identifiant, par exemple departement-62" })),
  year: Type.Optional(Type.String({ maxLength: 4 })),
  organisation: Type.Optional(Type.String({ maxLength: 300 })),
  language: Type.Optional(Type.String({ maxLength: 5 })),
  source: Type.Optional(Type.String({ maxLength: 12,
    description: "documents ou sheets" })),
  page: Type.Optional(Type.String({ maxLength: 6 })),
});
type SearchQuery = Static<typeof SearchQuery>;

/**
 * The API says what it takes: a kind it does not know is refused rather
 * than ignored, and a client chooses how many hits a page holds.
 */
const ApiSearchQuery = Type.Object({
  ...SearchQuery.properties,
  kind: Type.Optional(Type.Unsafe<string>({ type: "string",
    enum: [...DOCUMENT_KINDS, SHEET_KIND],
    description: "Type de document, ou experience_sheet" })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PER_PAGE,
    description: `Résultats par page (20 par défaut, ${MAX_PER_PAGE} au `
      + "plus)" })),
});
type ApiSearchQuery = Static<typeof ApiSearchQuery>;

/** Reads the query string loosely: a stray value is ignored, not a 400. */
function libraryQuery(query: SearchQuery): LibraryQuery {
  const year = Number(query.year);
  const page = Number(query.page);

  return {
    q: query.q, kind: query.kind || undefined, theme: query.theme || undefined,
    territory: query.territory || undefined,
    year: Number.isInteger(year) && year > 0 ? year : undefined,
    organisation: query.organisation || undefined,
    language: query.language || undefined,
    source: query.source === "documents" || query.source === "sheets"
      ? query.source : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

const Segments = Type.String({ description:
  "HTML dont la seule balise est <mark> autour des mots trouvés" });

const FacetValue = Type.Object({
  value: Type.String(), label: Type.String(), count: Type.Integer() });

const HitSchema = Type.Object({
  source: Type.Union([Type.Literal("document"), Type.Literal("sheet")]),
  slug: Type.String(), url: Type.String(), title: Type.String(),
  titleHtml: Segments, excerptHtml: Segments, kind: Type.String(),
  kindLabel: Type.String(),
  year: Type.Union([Type.Integer(), Type.Null()]), language: Type.String(),
  publishedAt: Type.String({ format: "date-time" }), rank: Type.Number(),
});

const DocumentSchema = Type.Object({
  slug: Type.String(), url: Type.String(), title: Type.String(),
  kind: Type.String(), authors: Type.String(),
  year: Type.Union([Type.Integer(), Type.Null()]), language: Type.String(),
  summary: Type.String(), themes: Type.Array(Type.String()),
  territories: Type.Array(Type.String()),
  sourceUrl: Type.Union([Type.String(), Type.Null()]),
  fileUrl: Type.Union([Type.String(), Type.Null()]),
  textStatus: Type.String(),
  publishedAt: Type.Union([Type.String({ format: "date-time" }),
    Type.Null()]),
});

export const documentRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { baseUrl } = app.config;

  const presentDocument = (doc: DocumentRow) => ({
    slug: doc.slug, url: `${baseUrl}/fonds/documents/${doc.slug}`,
    title: doc.title, kind: doc.kind, authors: doc.authors, year: doc.year,
    language: doc.language, summary: doc.summary, themes: doc.themes,
    territories: doc.territoryScope, sourceUrl: doc.sourceUrl,
    fileUrl: doc.fileName
      ? `${baseUrl}/fonds/documents/${doc.slug}/fichier` : null,
    textStatus: doc.textStatus,
    publishedAt: doc.publishedAt?.toISOString() ?? null,
  });

  const searchPage = async (
    request: FastifyRequest, reply: FastifyReply, query: SearchQuery,
    path: string, view?: string,
  ) => {
    const input = libraryQuery(query);
    const result = await searchLibrary(request.ctx(), { ...input, view });
    const filters: LibraryFilters = {
      q: result.q, source: input.source ?? "",
      ...Object.fromEntries(FACET_NAMES.map((f) =>
        [f, String((query as any)[f] ?? "")])),
    };
    const url = (changes: LibraryFilters) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...filters, ...changes })) {
        if (v) params.set(k, v);
      }
      const text = params.toString();
      return text ? `${path}?${text}` : path;
    };
    const saved = view ? ownValue(SAVED_VIEWS, view) : undefined;
    const title = saved?.title ?? "Fonds documentaire";

    return sendPage(request, reply, result.q ? `${result.q} · ${title}`
      : title, () => (
      <LibraryView result={result} filters={filters} action={path} url={url}
        view={saved} />
    ));
  };

  app.get("/fonds", { schema: { querystring: SearchQuery } },
    (request, reply) => searchPage(request, reply, request.query, "/fonds"));

  app.get<{ Params: { view: string } }>("/fonds/vues/:view",
    { schema: { querystring: SearchQuery } }, (request, reply) => {
      const view = request.params.view;
      if (!ownValue(SAVED_VIEWS, view)) {
        throw new DomainError("not_found", "Cette vue n'existe pas.");
      }
      return searchPage(request, reply, request.query as SearchQuery,
        `/fonds/vues/${view}`, view);
    });

  app.get<{ Params: { slug: string }; Querystring: { q?: string } }>(
    "/fonds/documents/:slug", async (request, reply) => {
      const ctx = request.ctx();
      const data = await getDocument(ctx, request.params.slug);
      const q = (request.query.q ?? "").slice(0, 4000);
      const body = await highlightText(ctx, data.document.body, q);

      return sendPage(request, reply, data.document.title, (page) => (
        <DocumentView page={page} data={data} body={body} q={q.trim()} />
      ));
    });

  // Files are always downloaded, with their stored type: an HTML file is
  // sent as text and sandboxed, so nothing runs from the site's origin.
  app.get<{ Params: { slug: string } }>("/fonds/documents/:slug/fichier",
    async (request, reply) => {
      const file = await getDocumentFile(request.ctx(), request.params.slug);
      const ascii = file.fileName.replace(/[^\w.-]+/g, "_");

      return reply.type(file.contentType)
        .header("content-disposition", `attachment; filename="${ascii}"; `
          + `filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "sandbox; default-src 'none'")
        .header("cache-control", "private, no-store")
        .send(file.bytes);
    });

  const depositPage = async (request: FastifyRequest, reply: FastifyReply,
    values: FormValues, errors?: { message?: string;
      fields?: Record<string, string> }, status = 200) => {
    const organisations = await findDepositOrganisations(request.ctx());

    return sendPage(request, reply, "Déposer un document", (page) => (
      <DepositForm page={page} values={values} errors={errors}
        organisations={organisations} />
    ), status);
  };

  app.get("/fonds/deposer", async (request, reply) => {
    requirePerson(request.actor);

    return depositPage(request, reply, { language: "fr", kind: "study" });
  });

  app.post("/fonds/deposer", async (request, reply) => {
    requirePerson(request.actor);
    if (!request.isMultipart()) throw invalid("Formulaire invalide.");
    const values: FormValues = {};
    const organisationIds: string[] = [];
    let file: { name: string; bytes: Buffer } | null = null;
    let tooLarge = false;
    for await (const part of request.parts({
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 30 },
    })) {
      if (part.type === "file") {
        const bytes = await part.toBuffer().catch((error) => {
          if (error?.code !== "FST_REQ_FILE_TOO_LARGE") throw error;
          tooLarge = true;
          return Buffer.alloc(0);
        });
        if (part.filename) file = { name: part.filename, bytes };
      } else if (part.fieldname === "organisations") {
        organisationIds.push(String(part.value));
      } else {
        values[part.fieldname] = String(part.value ?? "");
      }
    }
    values.organisations = organisationIds.join(",");
    try {
      if (tooLarge) {
        throw invalid("Le formulaire contient des erreurs.",
          { file: "Le fichier dépasse 20 Mo." });
      }
      const territoryIds = await resolveTerritoryLines(request,
        values.territories ?? "");
      const doc = await depositDocument(request.ctx(), {
        title: values.title ?? "", kind: values.kind ?? "",
        authors: values.authors, year: values.year,
        language: values.language, summary: values.summary,
        themes: splitList(values.themes), territoryIds, organisationIds,
        sourceUrl: values.sourceUrl, file,
      });
      request.log.info({ documentId: doc.id, textStatus: doc.textStatus },
        "document deposited");

      return redirectWithFlash(reply, `/fonds/documents/${doc.slug}`,
        doc.textStatus === "not_extracted"
          ? "Document déposé. Son texte n'a pas pu être extrait : la "
            + "recherche lira son titre et son résumé. L'équipe va le "
            + "valider."
          : "Document déposé. L'équipe va le valider.");
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "invalid") {
        throw error;
      }
      return depositPage(request, reply, values,
        { message: error.message, fields: error.fields }, 400);
    }
  });

  async function resolveTerritoryLines(request: FastifyRequest, text: string) {
    const ids: string[] = [];
    for (const line of splitList(text)) {
      const found = await resolveTerritory(app.database.db, line);
      if (found.status === "found") { ids.push(found.territory.id); continue; }
      const message = found.status === "ambiguous"
        ? `Précisez « ${line} » : ${found.candidates.slice(0, 5)
          .map((c) => c.label).join(", ")}.`
        : `Territoire inconnu : « ${line} ».`;
      throw invalid("Le formulaire contient des erreurs.",
        { territories: message });
    }

    return ids;
  }

  app.get("/fonds/flux.xml", async (request, reply) => {
    const items = await findRecentPublications(request.ctx());
    const feed = createFeed({
      title: `${app.config.siteName} — fonds documentaire`,
      description: "Documents et fiches d'expérience publiés",
      id: `${baseUrl}/fonds`, link: `${baseUrl}/fonds`, language: "fr",
      copyright: "", updated: items[0]?.publishedAt ?? new Date(0),
      feedLinks: { rss: `${baseUrl}/fonds/flux.xml` },
    }, items.map((item) => ({ title: item.title,
      url: `${baseUrl}${item.path}`, summary: item.summary,
      date: item.publishedAt })));

    return reply.type("application/rss+xml; charset=utf-8").send(feed.rss2());
  });

  app.get("/api/search", {
    schema: {
      tags: ["fonds documentaire"],
      summary: "Recherche en texte intégral dans les documents et les "
        + "fiches d'expérience publiés",
      querystring: ApiSearchQuery,
      response: {
        200: Type.Object({
          q: Type.String(), total: Type.Integer(),
          totalCapped: Type.Boolean({ description: "Plus de résultats que "
            + "`total` : le décompte et les facettes s'arrêtent là." }),
          page: Type.Integer(), perPage: Type.Integer(),
          pageCount: Type.Integer(), hits: Type.Array(HitSchema),
          facets: Type.Record(Type.String(), Type.Array(FacetValue)),
        }),
      },
    },
  }, async (request) => {
    const query = request.query as ApiSearchQuery;
    const result = await searchLibrary(request.ctx(),
      { ...libraryQuery(query), perPage: query.perPage });

    return {
      q: result.q, total: result.total, totalCapped: result.totalCapped,
      page: result.page, perPage: result.perPage,
      pageCount: result.pageCount, facets: result.facets,
      hits: result.hits.map((hit) => ({
        source: hit.source, slug: hit.slug, url: `${baseUrl}${hit.path}`,
        title: hit.title.map((s) => s.text).join(""),
        titleHtml: segmentsToHtml(hit.title),
        excerptHtml: segmentsToHtml(hit.excerpt), kind: hit.kind,
        kindLabel: hit.kindLabel, year: hit.year, language: hit.language,
        publishedAt: hit.publishedAt.toISOString(), rank: hit.rank,
      })),
    };
  });

  app.get("/api/documents", {
    schema: {
      tags: ["fonds documentaire"],
      summary: "Documents publiés, les plus récents d'abord",
      querystring: Type.Object({
        kind: Type.Optional(Type.Union(DOCUMENT_KINDS.map(
          (k) => Type.Literal(k)))),
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
        language: Type.Optional(Type.String({ maxLength: 5 })),
        page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
      }),
      response: { 200: Type.Object({
        items: Type.Array(DocumentSchema), total: Type.Integer(),
        page: Type.Integer(), pageCount: Type.Integer(),
      }) },
    },
  }, async (request) => {
    const result = await findDocuments(request.ctx(), request.query);

    return { ...result, items: result.items.map(presentDocument) };
  });

  app.get<{ Params: { slug: string } }>("/api/documents/:slug", {
    schema: {
      tags: ["fonds documentaire"],
      summary: "Un document publié",
      params: Type.Object({ slug: Type.String({ maxLength: 200 }) }),
      response: { 200: DocumentSchema },
    },
  }, async (request) => {
    const data = await getDocument({ ...request.ctx(),
      actor: { kind: "visitor" } }, request.params.slug);

    return presentDocument(data.document);
  });
};
