import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { isStaff, requireStaff } from "../../domain/context.ts";
import { DomainError, invalid } from "../../domain/errors.ts";
import { Csrf } from "../../web/layout.tsx";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { findInitiativesOfOrganisation } from "../initiatives/initiatives.ts";
import { findLabelsOfOrganisation } from "../labels/register.ts";
import { findAttestedCompetences } from "../sheets/attestation.ts";
import {
  resolveTerritory, type TerritorySummary,
} from "../territories/search.ts";
import { exportOrganisationsCsv } from "./csv-export.ts";
import { importOrganisationsCsv, MAX_IMPORT_ROWS } from "./csv-import.ts";
import {
  MembersSection, OrganisationForm, type PendingChoices,
} from "./edit-views.tsx";
import { ImportReportView } from "./import-views.tsx";
import { splitList } from "./labels.ts";
import type { OrganisationInput } from "./organisation-input.ts";
import {
  getOrganisation, getOrganisationForEdit,
} from "./organisation-queries.ts";
import { OrganisationView } from "./organisation-views.tsx";
import {
  CONCURRENT_EDIT, createOrganisation, updateOrganisation,
  type OrganisationRow,
} from "./organisations.ts";
import {
  addMembership, getMyProfile, getPersonProfile, removeMembership,
  updateMyProfile,
} from "./people.ts";
import { PersonView, ProfileForm } from "./person-views.tsx";
import { canCreateOrganisation, canImportDirectory } from "./policy.ts";
import { DirectoryView, type DirectoryFilters } from "./search-views.tsx";
import { findDirectoryFacets, findOrganisations } from "./search.ts";
import { ORGANISATION_KINDS } from "./tables.ts";
import type { FormErrors, FormValues } from "./views.tsx";

type Body = Record<string, string | string[] | undefined>;

/** Form fields as strings (the last value when a field is repeated). */
const formValues = (body: unknown): FormValues => {
  const values: FormValues = {};
  for (const [key, value] of Object.entries((body ?? {}) as Body)) {
    values[key] = Array.isArray(value) ? value[value.length - 1] ?? ""
      : value ?? "";
  }

  return values;
};

const errorsOf = (error: DomainError): FormErrors =>
  ({ message: error.message, fields: error.fields });

/** The form state of a saved organisation. */
function organisationValues(
  org: OrganisationRow, commune: TerritorySummary | null,
  territories: TerritorySummary[],
): FormValues {
  return {
    version: String(org.version), name: org.name, kind: org.kind ?? "",
    description: org.description, themes: org.themes.join("\n"),
    skills: org.skills.join("\n"), website: org.website ?? "",
    address: org.address ?? "", postalCode: org.postalCode ?? "",
    city: org.city ?? "", commune: commune?.label ?? "",
    territories: territories.map((t) => t.label).join("\n"),
    email: org.email ?? "", phone: org.phone ?? "",
    emailVisibility: org.emailVisibility,
    phoneVisibility: org.phoneVisibility,
    addressVisibility: org.addressVisibility,
    charterSignatory: org.charterSignatory ? "on" : "",
    charterSignedOn: org.charterSignedOn ?? "", staffNotes: org.staffNotes,
  };
}

/**
 * Turns the territory fields as typed into ids. A name shared by several
 * territories, or unknown, sends the form back with the candidates to
 * choose from as radio buttons: it works without JavaScript.
 */
async function resolveTerritoryFields(
  request: FastifyRequest, values: FormValues,
) {
  const db = request.server.database.db;
  const fields: Record<string, string> = {};
  const pending: PendingChoices = { territories: [] };
  let communeId: string | null = null;

  if (values.communeChoice) {
    communeId = values.communeChoice;
  } else if (values.commune?.trim()) {
    const found = await resolveTerritory(db, values.commune,
      { kinds: ["commune"] });
    if (found.status === "found") communeId = found.territory.id;
    else if (found.status === "ambiguous") {
      pending.commune = found.candidates;
      fields.commune = "Précisez la commune parmi celles proposées.";
    } else fields.commune = "Cette commune est inconnue.";
  }

  const territoryIds: string[] = [];
  const lines = (values.territories ?? "").split(/\r?\n/)
    .map((s) => s.trim()).filter(Boolean);
  for (const [index, text] of lines.entries()) {
    const choice = values[`choice_${index}`];
    if (choice && values[`choiceFor_${index}`] === text) {
      territoryIds.push(choice);
      continue;
    }
    const found = await resolveTerritory(db, text);
    if (found.status === "found") territoryIds.push(found.territory.id);
    else if (found.status === "ambiguous") {
      pending.territories.push({ index, text, candidates: found.candidates });
      fields.territories = "Précisez les territoires parmi ceux proposés.";
    } else fields.territories = `Territoire inconnu : « ${text} ».`;
  }

  return { communeId, territoryIds, fields, pending };
}

function organisationInput(
  values: FormValues, communeId: string | null, territoryIds: string[],
): OrganisationInput {
  return {
    name: values.name ?? "", kind: values.kind || null,
    description: values.description, themes: splitList(values.themes),
    skills: splitList(values.skills), website: values.website,
    address: values.address, postalCode: values.postalCode,
    city: values.city, communeId, territoryIds,
    charterSignatory: values.charterSignatory === "on",
    charterSignedOn: values.charterSignedOn, email: values.email,
    phone: values.phone, emailVisibility: values.emailVisibility,
    phoneVisibility: values.phoneVisibility,
    addressVisibility: values.addressVisibility,
    staffNotes: values.staffNotes,
  };
}

const OrganisationSchema = Type.Object({
  id: Type.String(), slug: Type.String(), name: Type.String(),
  kind: Type.Union([Type.String(), Type.Null()]),
  description: Type.String({ description: "Markdown" }),
  themes: Type.Array(Type.String()), skills: Type.Array(Type.String()),
  website: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  postalCode: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  communeId: Type.Union([Type.String(), Type.Null()]),
  charterSignatory: Type.Boolean(),
  charterSignedOn: Type.Union([Type.String({ format: "date" }), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
});

const Filters = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  theme: Type.Optional(Type.String({ maxLength: 200 })),
  skill: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(Type.String({ maxLength: 40 })),
  territoire: Type.Optional(Type.String({ maxLength: 200 })),
  signataire: Type.Optional(Type.String({ maxLength: 3 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
});

const NO_RESULT = { items: [], total: 0, page: 1, pageCount: 0 };

export const directoryRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/annuaire", { schema: { querystring: Filters } },
    async (request, reply) => {
      const query = request.query;
      const filters: DirectoryFilters = {
        q: query.q ?? "", theme: query.theme ?? "", skill: query.skill ?? "",
        kind: (ORGANISATION_KINDS as readonly string[]).includes(
          query.kind ?? "") ? query.kind! : "",
        territoire: query.territoire ?? "", signataire: query.signataire ?? "",
      };
      let territory: TerritorySummary | null = null;
      let territoryChoices: TerritorySummary[] = [];
      let territoryUnknown = false;
      if (filters.territoire.trim()) {
        const found = await resolveTerritory(app.database.db,
          filters.territoire);
        if (found.status === "found") territory = found.territory;
        else if (found.status === "ambiguous") {
          territoryChoices = found.candidates;
        } else territoryUnknown = true;
      }
      // A territory that does not exist holds no organisation: showing the
      // whole directory would read as if the filter had matched.
      const result = territoryUnknown ? NO_RESULT
        : await findOrganisations(request.ctx(), {
        q: filters.q, theme: filters.theme, skill: filters.skill,
        kind: filters.kind, territory: territory?.id,
        signatory: filters.signataire === "oui" ? true
          : filters.signataire === "non" ? false : undefined,
        page: query.page ?? 1, perPage: 24,
      });
      const facets = await findDirectoryFacets(app.database.db);
      const url = (changes: Record<string, string>) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries({ ...filters, ...changes })) {
          if (v) params.set(k, v);
        }
        return `/annuaire?${params}`;
      };

      return sendPage(request, reply, "Annuaire", (page) => (
        <DirectoryView page={page} filters={filters} result={result}
          facets={facets} territory={territory}
          territoryChoices={territoryChoices}
          territoryUnknown={territoryUnknown}
          pageUrl={(n) => url({ page: String(n) })}
          choiceUrl={(id) => url({ territoire: id })} />
      ));
    });

  app.get("/annuaire/export.csv", async (request, reply) => {
    const csv = await exportOrganisationsCsv(request.ctx());

    return reply.type("text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="annuaire.csv"')
      .header("cache-control", "no-store").send(csv);
  });

  const renderForm = (
    request: FastifyRequest, reply: FastifyReply, options: {
      title: string; action: string; values: FormValues;
      errors?: FormErrors; pending?: PendingChoices; status?: number;
      after?: (page: any) => any;
    },
  ) => sendPage(request, reply, options.title, (page) => (
    <section>
      <h1>{options.title}</h1>
      <OrganisationForm page={page} action={options.action}
        values={options.values} errors={options.errors}
        pending={options.pending} staff={isStaff(request.actor)}
        submitLabel="Enregistrer" />
      {options.after?.(page)}
    </section>
  ), options.status ?? 200);

  app.get("/annuaire/nouvelle", async (request, reply) => {
    requireStaff(request.actor);

    return renderForm(request, reply, { title: "Nouvelle structure",
      action: "/annuaire/nouvelle", values: { emailVisibility: "allies",
        phoneVisibility: "allies", addressVisibility: "public" } });
  });

  app.post("/annuaire/nouvelle", async (request, reply) => {
    if (!canCreateOrganisation(request.actor)) requireStaff(request.actor);
    const values = formValues(request.body);
    const title = "Nouvelle structure";
    const resolved = await resolveTerritoryFields(request, values);
    try {
      if (Object.keys(resolved.fields).length > 0) {
        throw invalid("Le formulaire contient des erreurs.", resolved.fields);
      }
      const org = await createOrganisation(request.ctx(), organisationInput(
        values, resolved.communeId, resolved.territoryIds));

      return redirectWithFlash(reply, `/annuaire/${org.slug}`,
        "La structure a été ajoutée à l'annuaire.");
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "invalid") {
        throw error;
      }
      return renderForm(request, reply, { title,
        action: "/annuaire/nouvelle", values, errors: errorsOf(error),
        pending: resolved.pending, status: 400 });
    }
  });

  app.get<{ Params: { slug: string } }>("/annuaire/:slug",
    async (request, reply) => {
      const data = await getOrganisation(request.ctx(), request.params.slug);
      const ctx = request.ctx();
      const id = data.organisation.id;
      const attested = await findAttestedCompetences(ctx,
        { organisationId: id });
      const initiatives = await findInitiativesOfOrganisation(ctx, id);
      const labels = await findLabelsOfOrganisation(ctx, id);

      return sendPage(request, reply, data.organisation.name, (page) => (
        <OrganisationView page={page} data={data} attested={attested}
          initiatives={initiatives} labels={labels} />
      ));
    });

  const membersOf = (request: FastifyRequest, slug: string,
    members: { id: string; fullName: string; role: string }[],
    values?: FormValues, errors?: FormErrors) =>
    isStaff(request.actor) ? (page: any) => (
      <MembersSection page={page} slug={slug} members={members}
        values={values} errors={errors} />
    ) : undefined;

  app.get<{ Params: { slug: string } }>("/annuaire/:slug/modifier",
    async (request, reply) => {
      const { slug } = request.params;
      const data = await getOrganisationForEdit(request.ctx(), slug);

      return renderForm(request, reply, {
        title: `Modifier ${data.organisation.name}`,
        action: `/annuaire/${slug}/modifier`,
        values: organisationValues(data.organisation, data.commune,
          data.territories),
        after: membersOf(request, slug, data.members),
      });
    });

  app.post<{ Params: { slug: string } }>("/annuaire/:slug/modifier",
    async (request, reply) => {
      const { slug } = request.params;
      const data = await getOrganisationForEdit(request.ctx(), slug);
      const values = formValues(request.body);
      const resolved = await resolveTerritoryFields(request, values);
      const options = {
        title: `Modifier ${data.organisation.name}`,
        action: `/annuaire/${slug}/modifier`,
        after: membersOf(request, slug, data.members),
        pending: resolved.pending,
      };
      try {
        if (Object.keys(resolved.fields).length > 0) {
          throw invalid("Le formulaire contient des erreurs.",
            resolved.fields);
        }
        const saved = await updateOrganisation(request.ctx(), {
          id: data.organisation.id, version: Number(values.version),
          ...organisationInput(values, resolved.communeId,
            resolved.territoryIds),
        });

        return redirectWithFlash(reply, `/annuaire/${saved.slug}`,
          "La fiche a été enregistrée.");
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === "conflict") {
          // Keep what the user typed; the new version lets them save it
          // over the other edit once they have checked it.
          return renderForm(request, reply, { ...options, status: 409,
            values: { ...values,
              version: String(data.organisation.version) },
            errors: { message: CONCURRENT_EDIT } });
        }
        if (error.code !== "invalid") throw error;
        return renderForm(request, reply, { ...options, values,
          errors: errorsOf(error), status: 400 });
      }
    });

  app.post<{ Params: { slug: string } }>("/annuaire/:slug/membres",
    async (request, reply) => {
      const { slug } = request.params;
      const data = await getOrganisationForEdit(request.ctx(), slug);
      const values = formValues(request.body);
      try {
        await addMembership(request.ctx(), {
          organisationId: data.organisation.id,
          email: values.memberEmail ?? "", role: values.memberRole });
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "invalid") {
          throw error;
        }
        return renderForm(request, reply, {
          title: `Modifier ${data.organisation.name}`,
          action: `/annuaire/${slug}/modifier`, status: 400,
          values: organisationValues(data.organisation, data.commune,
            data.territories),
          after: membersOf(request, slug, data.members, values,
            errorsOf(error)),
        });
      }

      return redirectWithFlash(reply, `/annuaire/${slug}/modifier#membres`,
        "La personne a été liée à la structure.");
    });

  app.post<{ Params: { slug: string; personId: string } }>(
    "/annuaire/:slug/membres/:personId/retirer", async (request, reply) => {
      const { slug, personId } = request.params;
      const data = await getOrganisationForEdit(request.ctx(), slug);
      await removeMembership(request.ctx(),
        { organisationId: data.organisation.id, personId });

      return redirectWithFlash(reply, `/annuaire/${slug}/modifier#membres`,
        "La personne n'est plus liée à la structure.");
    });

  app.get<{ Params: { id: string } }>("/personnes/:id",
    async (request, reply) => {
      const data = await getPersonProfile(request.ctx(), request.params.id);
      const attested = await findAttestedCompetences(request.ctx(),
        { personId: data.person.id });

      return sendPage(request, reply, data.person.fullName,
        () => <PersonView data={data} attested={attested} />);
    });

  const renderProfile = async (request: FastifyRequest, reply: FastifyReply,
    values?: FormValues, errors?: FormErrors, status = 200) => {
    const { person, organisations } = await getMyProfile(request.ctx());
    const saved: FormValues = {
      version: String(person.version), fullName: person.fullName,
      bio: person.bio, phone: person.phone ?? "",
      emailVisibility: person.emailVisibility,
      phoneVisibility: person.phoneVisibility,
      ...Object.fromEntries(organisations.map(
        (o) => [`role_${o.organisationId}`, o.role])),
    };

    return sendPage(request, reply, "Mon profil", (page) => (
      <section>
        <h1>Mon profil dans l'annuaire</h1>
        <p><a href={`/personnes/${person.id}`}>Voir mon profil</a></p>
        <ProfileForm page={page} values={values ?? saved} errors={errors}
          organisations={organisations} />
      </section>
    ), status);
  };

  app.get("/compte/profil", (request, reply) =>
    renderProfile(request, reply));

  app.post("/compte/profil", async (request, reply) => {
    const values = formValues(request.body);
    const roles = Object.fromEntries(Object.entries(values)
      .filter(([k]) => k.startsWith("role_"))
      .map(([k, v]) => [k.slice("role_".length), v]));
    try {
      await updateMyProfile(request.ctx(), {
        version: Number(values.version), fullName: values.fullName ?? "",
        bio: values.bio, phone: values.phone,
        emailVisibility: values.emailVisibility,
        phoneVisibility: values.phoneVisibility, roles,
      });
    } catch (error) {
      if (!(error instanceof DomainError)
        || !["invalid", "conflict"].includes(error.code)) throw error;
      const { person } = await getMyProfile(request.ctx());
      const kept = error.code === "conflict"
        ? { ...values, version: String(person.version) } : values;

      return renderProfile(request, reply, kept, errorsOf(error),
        error.code === "conflict" ? 409 : 400);
    }

    return redirectWithFlash(reply, "/compte/profil",
      "Votre profil a été enregistré.");
  });

  const renderUpload = (request: FastifyRequest, reply: FastifyReply,
    error?: string) =>
    sendPage(request, reply, "Importer l'annuaire", (page) => (
      <section>
        <h1>Importer l'annuaire depuis un tableur</h1>
        {error && (
          <div class="errors" role="alert" id="import-error">
            <p>{error}</p>
          </div>
        )}
        <p>Fichier CSV, séparé par des points-virgules, des virgules ou des
          tabulations, en UTF-8 ou Windows-1252 ; 5 Mo et
          {" "}{MAX_IMPORT_ROWS.toLocaleString("fr-FR")} lignes au plus. Un
          aperçu est montré avant tout enregistrement.</p>
        <form method="post" enctype="multipart/form-data"
          action={`/admin/annuaire/import?_csrf=${
            encodeURIComponent(page.csrfToken)}`}>
          <div class="field">
            <label for="f-fichier">Fichier CSV</label>
            <input type="file" id="f-fichier" name="fichier"
              accept=".csv,.tsv,.txt,text/csv" required
              aria-describedby={error ? "import-error" : undefined} />
          </div>
          <button type="submit">Voir l'aperçu</button>
        </form>
      </section>
    ), error ? 400 : 200);

  app.get("/admin/annuaire/import", async (request, reply) => {
    requireStaff(request.actor);

    return renderUpload(request, reply);
  });

  const renderImport = (request: FastifyRequest, reply: FastifyReply,
    content: Buffer, report: Awaited<ReturnType<
      typeof importOrganisationsCsv>>) =>
    sendPage(request, reply, "Importer l'annuaire", (page) => (
      <section>
        <h1>Importer l'annuaire depuis un tableur</h1>
        <ImportReportView report={report} />
        {report.dryRun ? (
          <form method="post" action="/admin/annuaire/import/confirmer">
            <Csrf page={page} />
            {/* The file travels with the form: no state kept on the node. */}
            <input type="hidden" name="content"
              value={content.toString("base64")} />
            <button type="submit">Confirmer l'import</button>
            {" "}<a href="/admin/annuaire/import">Choisir un autre fichier</a>
          </form>
        ) : <p><a href="/annuaire">Voir l'annuaire</a></p>}
      </section>
    ));

  app.post("/admin/annuaire/import", async (request, reply) => {
    if (!canImportDirectory(request.actor)) requireStaff(request.actor);
    let content: Buffer;
    let report: Awaited<ReturnType<typeof importOrganisationsCsv>>;
    try {
      const file = request.isMultipart() ? await request.file() : undefined;
      if (!file) throw invalid("Choisissez un fichier CSV.");
      content = await file.toBuffer();
      report = await importOrganisationsCsv(request.ctx(), content,
        { dryRun: true });
    } catch (error: any) {
      // What is wrong with the file is said on the page, to try another.
      if (error?.code === "FST_REQ_FILE_TOO_LARGE") {
        return renderUpload(request, reply, "Le fichier dépasse 5 Mo : "
          + "découpez-le en plusieurs fichiers.");
      }
      if (!(error instanceof DomainError) || error.code !== "invalid") {
        throw error;
      }
      return renderUpload(request, reply, error.message);
    }

    return renderImport(request, reply, content, report);
  });

  app.post("/admin/annuaire/import/confirmer", {
    bodyLimit: 12 * 1024 * 1024,
  }, async (request, reply) => {
    const content = Buffer.from(formValues(request.body).content ?? "",
      "base64");
    let report: Awaited<ReturnType<typeof importOrganisationsCsv>>;
    try {
      report = await importOrganisationsCsv(request.ctx(), content);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "invalid") {
        throw error;
      }
      return renderUpload(request, reply, error.message);
    }
    request.log.info({ created: report.created, changed: report.changed,
      refused: report.refused }, "directory imported");

    return renderImport(request, reply, content, report);
  });

  app.get("/api/organisations", {
    schema: {
      tags: ["annuaire"],
      summary: "Structures de l'annuaire (champs publics pour un visiteur)",
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 200 })),
        theme: Type.Optional(Type.String({ maxLength: 200 })),
        skill: Type.Optional(Type.String({ maxLength: 200 })),
        kind: Type.Optional(Type.Union(ORGANISATION_KINDS.map(
          (k) => Type.Literal(k)))),
        territory: Type.Optional(Type.String({ maxLength: 40,
          description: "Code ou identifiant, par exemple 62, 62528, R32 "
            + "ou departement-62" })),
        page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
      }),
      response: {
        200: Type.Object({
          items: Type.Array(OrganisationSchema),
          total: Type.Integer(), page: Type.Integer(),
          pageCount: Type.Integer(),
        }),
      },
    },
  }, async (request) => {
    const { territory: text, ...filters } = request.query;
    let territory: string | undefined;
    if (text?.trim()) {
      const found = await resolveTerritory(app.database.db, text);
      if (found.status === "ambiguous") {
        throw invalid(`Plusieurs territoires correspondent à « ${text} » : `
          + `précisez lequel (${found.candidates.map((c) => c.id)
            .join(", ")}).`, { territory: "Territoire ambigu." });
      }
      if (found.status === "unknown") return { ...NO_RESULT, items: [] };
      territory = found.territory.id;
    }
    const result = await findOrganisations(request.ctx(),
      { ...filters, territory, perPage: 50 });

    return { items: result.items, total: result.total, page: result.page,
      pageCount: result.pageCount };
  });
};

