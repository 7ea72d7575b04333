import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requireStaff } from "../../domain/context.ts";
import { DomainError, invalid } from "../../domain/errors.ts";
import { Csrf } from "../../web/layout.tsx";
import { sendPage } from "../../web/render.tsx";
import { importOrganisationsCsv, MAX_IMPORT_ROWS } from "./csv-import.ts";
import { ImportReportView } from "./import-views.tsx";
import { canImportDirectory } from "./policy.ts";
import { formValues } from "./route-forms.ts";

/** Staff import the directory from a spreadsheet, through a preview. */
export const directoryImportRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

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
};
