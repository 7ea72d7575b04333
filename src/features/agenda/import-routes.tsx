import type { FastifyPluginAsync } from "fastify";
import { invalid } from "../../domain/errors.ts";
import { sendPage } from "../../web/render.tsx";
import { assertCanManage } from "./events.ts";
import { importIcs } from "./import.ts";
import { formError } from "./route-forms.ts";
import { ImportPage } from "./import-views.tsx";

/** Staff import an agenda from an iCalendar file. */
export const agendaImportRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/agenda/import", async (request, reply) => {
    assertCanManage(request.ctx());

    return sendPage(request, reply, "Importer un agenda",
      (page) => <ImportPage page={page} />);
  });

  app.post("/admin/agenda/import", async (request, reply) => {
    const ctx = request.ctx();
    assertCanManage(ctx);
    const file = await request.file();
    const text = file ? (await file.toBuffer()).toString("utf8") : "";
    try {
      if (!text.trim()) throw invalid("Choisissez un fichier .ics.");
      const report = await importIcs(ctx, text);
      return sendPage(request, reply, "Importer un agenda",
        (page) => <ImportPage page={page} report={report} />);
    } catch (error) {
      if (!formError(error)) throw error;
      return sendPage(request, reply, "Importer un agenda", (page) => (
        <ImportPage page={page} message={(error as Error).message} />), 400);
    }
  });
};
