import type { FastifyPluginAsync } from "fastify";
import { sql } from "drizzle-orm";
import { sendPage } from "../../web/render.tsx";

export const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get("/health", async () => {
    await app.database.db.execute(sql`select 1`);

    return { status: "ok", database: app.database.engine };
  });

  app.get("/api/openapi.json", async () => app.swagger());

  app.get("/", async (request, reply) => sendPage(request, reply, "Accueil",
    () => (
      <section>
        <h1>L'espace de travail de l'Alliance</h1>
        <p>L'annuaire des allié·es, l'agenda des rendez-vous, permanences et
          formations, les initiatives et leurs labels, les fiches
          d'expérience, le fonds documentaire et la doctrine.</p>
        <ul class="cards">
          <li><a href="/annuaire">Parcourir l'annuaire</a></li>
          <li><a href="/agenda">Voir l'agenda</a></li>
          <li><a href="/initiatives">Découvrir les initiatives</a></li>
          <li><a href="/labels">Registre des labels</a></li>
          <li><a href="/fiches">Lire les fiches d'expérience</a></li>
          <li><a href="/fonds">Chercher dans le fonds documentaire</a></li>
          <li><a href="/doctrine">Lire la doctrine</a></li>
        </ul>
      </section>
    )));
};
