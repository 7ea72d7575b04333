import fs from "node:fs";
import path from "node:path";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { requirePerson } from "../../domain/context.ts";
import { DomainError, notFound } from "../../domain/errors.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import {
  findInitiativeBadges, initiativeFilters,
} from "./extensions.ts";
import { initiativesAtom, initiativesRss } from "./feed.ts";
import {
  imagesDir, isImageFileName, MAX_IMAGE_BYTES, type UploadedImage,
} from "./images.ts";
import { findCarrierChoices, findOrganisationIdByName } from "./carriers.ts";
import { createInitiative } from "./create-initiative.ts";
import { findInitiativeHistory } from "./history.ts";
import {
  getInitiative, getInitiativeBySlug, type InitiativeDetail,
} from "./initiative-detail.ts";
import type { InitiativeInput } from "./initiative-input.ts";
import {
  findInitiativesToModerate, findMyInitiatives,
} from "./initiative-lists.ts";
import { canModerateInitiatives } from "./policy.ts";
import { decidePooling } from "./pooling-decisions.ts";
import {
  findMyPoolingContacts, findPoolingOpportunities,
} from "./pooling-opportunities.ts";
import { findPoolingSuggestions } from "./pooling-suggestions.ts";
import {
  InitiativeDetailSchema, InitiativeListSchema, presentInitiative,
  presentSuggestion, presentSummary, SuggestionListSchema,
} from "./present.ts";
import {
  archiveInitiative, publishInitiative, submitInitiative, unpublishInitiative,
} from "./publication.ts";
import { findInitiatives, findInitiativeThemes } from "./search.ts";
import { updateInitiative } from "./update-initiative.ts";
import {
  emptyForm, InitiativeForm, InitiativeListPage, InitiativePage,
  ModerationPage, MyInitiativesPage, OpportunitiesPage, SuggestionsPage,
  UnpublishForm, type FormValues, type ListQuery,
} from "./views.tsx";
import {
  findTerritoriesByIds, resolveTerritories, splitTerritoryEntries,
  territoryEntry,
} from "./territory-input.ts";

const PAGE_SIZE = 30;

type Fields = Record<string, string[]>;

/**
 * Reads the initiative form, sent as multipart (with its image) or as an
 * ordinary form. The image is cut at the size limit, and reported so.
 */
async function readForm(request: FastifyRequest) {
  const fields: Fields = {};
  let image: UploadedImage | null = null;
  const add = (name: string, value: string) => {
    (fields[name] ??= []).push(value);
  };

  if (request.isMultipart()) {
    const parts = request.parts({
      limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 200 },
      throwFileSizeLimit: false,
    } as any);
    for await (const part of parts) {
      if (part.type === "file") {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        const content = Buffer.concat(chunks);
        if (part.filename || content.length > 0) {
          image = { content, truncated: part.file.truncated };
        }
      } else {
        add(part.fieldname, String(part.value ?? ""));
      }
    }
  } else {
    for (const [name, value] of Object.entries(
      (request.body ?? {}) as Record<string, string | string[]>)) {
      for (const v of Array.isArray(value) ? value : [value]) add(name, v);
    }
  }

  return { fields, image };
}

const one = (fields: Fields, name: string) => fields[name]?.[0] ?? "";

function valuesOf(fields: Fields): FormValues {
  const items = (prefix: string) => {
    const list: { kind: string; text: string }[] = [];
    for (let n = 0; n < 12; n += 1) {
      const text = one(fields, `${prefix}Text_${n}`);
      if (text.trim()) list.push({ kind: one(fields, `${prefix}Kind_${n}`), text });
    }

    return list;
  };

  return {
    title: one(fields, "title"), summary: one(fields, "summary"),
    description: one(fields, "description"),
    carrierIds: fields.carrierIds ?? [],
    contactPersonId: one(fields, "contactPersonId"),
    territories: one(fields, "territories"), themes: one(fields, "themes"),
    stage: one(fields, "stage"), startsOn: one(fields, "startsOn"),
    endsOn: one(fields, "endsOn"), links: one(fields, "links"),
    offers: items("offer"), needs: items("need"),
    otherCarrier: one(fields, "otherCarrier"),
  };
}

async function inputOf(
  request: FastifyRequest, values: FormValues, fields: Fields,
  image: UploadedImage | null,
): Promise<InitiativeInput> {
  const carrierIds = [...values.carrierIds];
  if (values.otherCarrier.trim()) {
    const id = await findOrganisationIdByName(request.ctx().db,
      values.otherCarrier);
    if (!id) {
      throw new DomainError("invalid", "Le formulaire contient des erreurs.",
        { otherCarrier: "Aucune structure de l'annuaire ne porte ce nom." });
    }
    carrierIds.push(id);
  }

  return {
    ...values, carrierIds, territoryPicks: fields.territoryPicks ?? [],
    contactPersonId: values.contactPersonId || null, image,
  };
}

function detailValues(detail: InitiativeDetail): FormValues {
  const i = detail.initiative;

  return {
    title: i.title, summary: i.summary, description: i.description,
    carrierIds: detail.carriers.map((c) => c.id),
    contactPersonId: i.contactPersonId ?? "",
    territories: detail.territories.map(territoryEntry).join("\n"),
    themes: i.themes.join(", "), stage: i.stage,
    startsOn: i.startsOn ?? "", endsOn: i.endsOn ?? "",
    links: i.links.map((l) => l.label === l.url ? l.url
      : `${l.label} | ${l.url}`).join("\n"),
    offers: detail.offers, needs: detail.needs, otherCarrier: "",
  };
}

const ListQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  theme: Type.Optional(Type.String({ maxLength: 100 })),
  territory: Type.Optional(Type.String({ maxLength: 40,
    description: "Id de territoire (commune-62528, departement-62…)" })),
  stage: Type.Optional(Type.String({ maxLength: 20 })),
  carrierKind: Type.Optional(Type.String({ maxLength: 30 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: true });

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

export const initiativeRoutes: FastifyPluginAsync = async (app) => {
  async function renderForm(
    request: FastifyRequest, reply: FastifyReply, options: {
      heading: string; action: string; values: FormValues;
      currentCarrierIds?: string[]; hasImage?: boolean;
      error?: DomainError; status?: number; picks?: string[];
    },
  ) {
    const ctx = request.ctx();
    const choices = await findCarrierChoices(ctx,
      [...(options.currentCarrierIds ?? []), ...options.values.carrierIds]
        .filter((id) => /^[0-9a-f-]{36}$/i.test(id)));
    const ambiguous = options.error
      ? (await resolveTerritories(ctx.db,
        splitTerritoryEntries(options.values.territories),
        options.picks)).ambiguous
      : [];

    return sendPage(request, reply, options.heading, (page) => (
      <InitiativeForm page={page} action={options.action}
        heading={options.heading} values={options.values}
        carriers={choices.organisations} people={choices.people}
        staff={canModerateInitiatives(ctx.actor)}
        hasImage={options.hasImage ?? false}
        error={options.error?.message} errors={options.error?.fields}
        territoryChoices={ambiguous} />
    ), options.status ?? 200);
  }

  app.get<{ Querystring: ListQuery }>("/initiatives",
    async (request, reply) => {
      const ctx = request.ctx();
      const q = request.query;
      const page = Math.max(1, Number(q.page) || 1);
      let territory = null;
      let territoryChoices: Awaited<ReturnType<typeof findTerritoriesByIds>>
        = [];
      if (q.territoire?.trim()) {
        const found = await resolveTerritories(ctx.db, [q.territoire.trim()]);
        if (found.ids.length) {
          [territory] = await findTerritoriesByIds(ctx.db, found.ids);
        }
        territoryChoices = found.ambiguous[0]?.candidates ?? [];
      }
      const extra = Object.fromEntries(initiativeFilters()
        .map((f) => [f.param, q[f.param]]));
      const unknownPlace = !!q.territoire?.trim() && !territory;
      const result = unknownPlace ? { items: [], total: 0 }
        : await findInitiatives(ctx, {
          q: q.q, theme: q.theme || undefined, territory: territory?.id,
          stage: q.stage || undefined, carrierKind: q.kind || undefined,
          extra, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE,
        });
      const extraFilters = await Promise.all(initiativeFilters()
        .map(async (filter) => ({ filter, options: await filter.options(ctx) })));
      const badges = await findInitiativeBadges(ctx,
        result.items.map((i) => i.id));
      const themes = await findInitiativeThemes(ctx);

      return sendPage(request, reply, "Initiatives", () => (
        <InitiativeListPage query={q} items={result.items}
          total={result.total} page={page} pageSize={PAGE_SIZE}
          themes={themes} territory={territory ?? null}
          territoryChoices={territoryChoices} extraFilters={extraFilters}
          badges={badges} signedIn={ctx.actor.kind === "person"} />
      ));
    });

  app.get("/initiatives/flux.xml", async (request, reply) => {
    const { items } = await findInitiatives(request.ctx(), { limit: 50 });

    return reply.type("application/rss+xml; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .send(initiativesRss(app.config, items));
  });

  app.get("/initiatives/flux.atom", async (request, reply) => {
    const { items } = await findInitiatives(request.ctx(), { limit: 50 });

    return reply.type("application/atom+xml; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .send(initiativesAtom(app.config, items));
  });

  app.get("/initiatives/nouvelle", async (request, reply) => {
    requirePerson(request.actor);
    const choices = await findCarrierChoices(request.ctx());
    const values = { ...emptyForm(),
      carrierIds: choices.organisations.length === 1
        ? [choices.organisations[0].id] : [] };

    return renderForm(request, reply, { heading: "Déclarer une initiative",
      action: "/initiatives/nouvelle", values });
  });

  app.post("/initiatives/nouvelle", async (request, reply) => {
    requirePerson(request.actor);
    const { fields, image } = await readForm(request);
    const values = valuesOf(fields);
    try {
      const created = await createInitiative(request.ctx(),
        await inputOf(request, values, fields, image));

      return redirectWithFlash(reply, `/initiatives/${created.slug}`,
        "Initiative enregistrée comme brouillon.");
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "invalid") {
        throw error;
      }

      return renderForm(request, reply, { heading: "Déclarer une initiative",
        action: "/initiatives/nouvelle", values, error, status: 400,
        picks: fields.territoryPicks });
    }
  });

  app.get<{ Params: { slug: string } }>("/initiatives/:slug",
    async (request, reply) => {
      const ctx = request.ctx();
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      const history = detail.canEdit
        ? await findInitiativeHistory(ctx, detail.initiative.id) : [];
      const badges = (await findInitiativeBadges(ctx,
        [detail.initiative.id])).get(detail.initiative.id) ?? [];

      return sendPage(request, reply, detail.initiative.title, (page) => (
        <InitiativePage page={page} detail={detail} history={history}
          badges={badges} />
      ));
    });

  app.get<{ Params: { slug: string } }>("/initiatives/:slug/modifier",
    async (request, reply) => {
      const detail = await getInitiativeBySlug(request.ctx(),
        request.params.slug);
      if (!detail.canEdit) throw notFound();

      return renderForm(request, reply, {
        heading: `Modifier « ${detail.initiative.title} »`,
        action: `/initiatives/${detail.initiative.slug}/modifier`,
        values: detailValues(detail),
        currentCarrierIds: detail.carriers.map((c) => c.id),
        hasImage: !!detail.initiative.imageFile,
      });
    });

  app.post<{ Params: { slug: string } }>("/initiatives/:slug/modifier",
    async (request, reply) => {
      const ctx = request.ctx();
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      const { fields, image } = await readForm(request);
      const values = valuesOf(fields);
      try {
        await updateInitiative(ctx, detail.initiative.id,
          await inputOf(request, values, fields, image));

        return redirectWithFlash(reply, `/initiatives/${detail.initiative.slug}`,
          "Modifications enregistrées.");
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "invalid") {
          throw error;
        }

        return renderForm(request, reply, {
          heading: `Modifier « ${detail.initiative.title} »`,
          action: `/initiatives/${detail.initiative.slug}/modifier`,
          values, error, status: 400, picks: fields.territoryPicks,
          currentCarrierIds: detail.carriers.map((c) => c.id),
          hasImage: !!detail.initiative.imageFile,
        });
      }
    });

  const transition = (
    suffix: string, run: typeof submitInitiative, message: string,
  ) => app.post<{ Params: { slug: string } }>(`/initiatives/:slug/${suffix}`,
    async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      await run(ctx, detail.initiative.id);

      return redirectWithFlash(reply, `/initiatives/${detail.initiative.slug}`,
        message);
    });
  transition("soumettre", submitInitiative,
    "Initiative soumise à l'équipe pour publication.");
  transition("publier", publishInitiative, "Initiative publiée.");
  transition("archiver", archiveInitiative, "Initiative archivée.");

  app.post<{ Params: { slug: string }; Body: { reason?: string } }>(
    "/initiatives/:slug/retirer", async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      try {
        await unpublishInitiative(ctx, detail.initiative.id,
          request.body?.reason ?? "");
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "invalid") {
          throw error;
        }

        return sendPage(request, reply, "Retirer de la publication", (page) => (
          <section>
            <h1>Retirer « {detail.initiative.title} »</h1>
            <UnpublishForm page={page} slug={detail.initiative.slug}
              error={error.fields.reason} />
          </section>
        ), 400);
      }

      return redirectWithFlash(reply, `/initiatives/${detail.initiative.slug}`,
        "Initiative retirée de la publication ; les porteur·ses sont prévenu·es.");
    });

  app.get<{ Params: { slug: string } }>("/initiatives/:slug/mutualisation",
    async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      const suggestions = await findPoolingSuggestions(ctx,
        detail.initiative.id);

      return sendPage(request, reply, "Opportunités de mutualisation",
        (page) => (
          <SuggestionsPage page={page} detail={detail}
            suggestions={suggestions} canDecide={detail.canEdit} />
        ));
    });

  app.post<{ Params: { slug: string }; Body: Record<string, string> }>(
    "/initiatives/:slug/mutualisation", async (request, reply) => {
      const ctx = request.ctx();
      requirePerson(ctx.actor);
      const detail = await getInitiativeBySlug(ctx, request.params.slug);
      const body = request.body ?? {};
      await decidePooling(ctx, {
        initiativeId: detail.initiative.id,
        targetKind: body.targetKind as "initiative",
        targetId: body.targetId ?? "",
        decision: body.decision as "talk",
      });

      return redirectWithFlash(reply,
        `/initiatives/${detail.initiative.slug}/mutualisation`,
        body.decision === "talk"
          ? "C'est noté : l'autre partie est prévenue par courriel."
          : "Suggestion masquée.");
    });

  app.get<{ Params: { file: string } }>("/fichiers/initiatives/:file",
    async (request, reply) => {
      const { file } = request.params;
      if (!isImageFileName(file)) throw notFound();
      const [row] = await query<{ id: string; contentType: string;
        status: string }>(app.database.db, sql`select id, status,
        image_content_type as "contentType" from initiatives
        where image_file = ${file}`);
      if (!row) throw notFound();
      const published = row.status === "published" || row.status === "archived";
      // Images of drafts are for those who may see the draft.
      if (!published) await getInitiative(request.ctx(), row.id);
      const full = path.join(imagesDir(app.config), file);
      if (!fs.existsSync(full)) throw notFound();

      return reply.type(row.contentType)
        .header("x-content-type-options", "nosniff")
        .header("content-disposition", "inline")
        .header("cache-control", published
          ? "public, max-age=31536000, immutable" : "private, no-store")
        .send(fs.createReadStream(full));
    });

  app.get("/mes-initiatives", async (request, reply) => {
    const ctx = request.ctx();
    requirePerson(ctx.actor);
    const items = await findMyInitiatives(ctx);
    const contacts = await findMyPoolingContacts(ctx);

    return sendPage(request, reply, "Mes initiatives", () => (
      <MyInitiativesPage items={items} contacts={contacts} />));
  });

  app.get("/admin/initiatives", async (request, reply) => {
    const items = await findInitiativesToModerate(request.ctx());

    return sendPage(request, reply, "Modération des initiatives", (page) => (
      <ModerationPage page={page} items={items} />));
  });

  app.get("/admin/mutualisations", async (request, reply) => {
    const rows = await findPoolingOpportunities(request.ctx());

    return sendPage(request, reply, "Opportunités de mutualisation", () => (
      <OpportunitiesPage rows={rows} />));
  });

  // ------------------------------------------------------------ JSON API

  app.get<{ Querystring: Static<typeof ListQuerySchema> }>("/api/initiatives", {
    schema: {
      tags: ["initiatives"],
      summary: "Initiatives publiées, avec recherche et filtres",
      querystring: ListQuerySchema,
      response: { 200: InitiativeListSchema },
    },
  }, async (request) => {
    const ctx = request.ctx();
    const q = request.query as Record<string, any>;
    const result = await findInitiatives(ctx, {
      q: q.q, theme: q.theme, territory: q.territory, stage: q.stage,
      carrierKind: q.carrierKind, limit: q.limit ?? 30, offset: q.offset ?? 0,
      extra: Object.fromEntries(initiativeFilters()
        .map((f) => [f.param, q[f.param]])),
    });
    const badges = await findInitiativeBadges(ctx, result.items.map((i) => i.id));

    return {
      total: result.total,
      items: result.items.map((item) => presentSummary(app.config, item,
        badges.get(item.id) ?? [])),
    };
  });

  app.get<{ Params: Static<typeof IdParams> }>("/api/initiatives/:id", {
    schema: {
      tags: ["initiatives"],
      summary: "Une initiative publiée",
      params: IdParams,
      response: { 200: InitiativeDetailSchema },
    },
  }, async (request) => {
    // The API is public: drafts are not found, whoever asks.
    const ctx = { ...request.ctx(), actor: { kind: "visitor" as const } };
    const detail = await getInitiative(ctx, request.params.id);
    if (detail.initiative.status !== "published") throw notFound();
    const badges = await findInitiativeBadges(ctx, [detail.initiative.id]);

    return presentInitiative(app.config, detail,
      badges.get(detail.initiative.id) ?? []);
  });

  app.get<{ Params: Static<typeof IdParams> }>(
    "/api/initiatives/:id/suggestions", {
      schema: {
        tags: ["initiatives"],
        summary: "Opportunités de mutualisation d'une initiative publiée",
        params: IdParams,
        response: { 200: SuggestionListSchema },
      },
    }, async (request) => {
      const ctx = { ...request.ctx(), actor: { kind: "visitor" as const } };
      const suggestions = await findPoolingSuggestions(ctx, request.params.id,
        { publicOnly: true });

      return { items: suggestions.map((s) => presentSuggestion(app.config, s)) };
    });
};
