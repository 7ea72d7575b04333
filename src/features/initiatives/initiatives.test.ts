import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import pino from "pino";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, addMembership, createOrganisation, createPerson,
  initiativeInput as input, visitor,
} from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { createInitiative } from "./create-initiative.ts";
import { findInitiativeHistory } from "./history.ts";
import { getInitiative } from "./initiative-detail.ts";
import {
  archiveInitiative, publishInitiative, submitInitiative, unpublishInitiative,
} from "./publication.ts";
import { updateInitiative } from "./update-initiative.ts";
import { initiatives } from "./tables.ts";


describe("initiatives: rights and moderation", () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let org: { id: string };
  let other: { id: string };
  let ally: Awaited<ReturnType<typeof createPerson>>;
  let outsider: Awaited<ReturnType<typeof createPerson>>;
  let staff: Awaited<ReturnType<typeof createPerson>>;
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), "atelier-up-"));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ uploadsDir, smtpUrl: smtp.url });
    const db = t.database.db;
    org = await createOrganisation(db, { name: "Cerdd",
      territoryIds: ["commune-62528"] });
    other = await createOrganisation(db, { name: "Autre structure" });
    ally = await createPerson(db, { fullName: "Alice Porteuse" });
    outsider = await createPerson(db, { fullName: "Oscar Extérieur" });
    staff = await createPerson(db, { role: "staff" });
    await addMembership(db, ally.id, org.id);
    await addMembership(db, outsider.id, other.id);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    fs.rmSync(uploadsDir, { recursive: true, force: true });
  });

  it("lets an ally create a draft for an organisation they belong to", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id]));

    expect(created.status).toBe("draft");
    expect(created.slug).toBe("ateliers-de-sobriete-energetique");
    expect(created.territoryScope).toEqual(expect.arrayContaining([
      "commune-62528", "departement-62", "region-32"]));
  });

  it("refuses an initiative for an organisation the ally is not part of", async () => {
    await expect(createInitiative(t.ctx(actorOf(ally)), input([other.id])))
      .rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuses a visitor", async () => {
    await expect(createInitiative(t.ctx(visitor), input([org.id])))
      .rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("reports every bad field in French", async () => {
    await expect(createInitiative(t.ctx(actorOf(ally)), input([org.id], {
      title: " ", stage: "bientôt", links: "javascript:alert(1)",
      territories: "Nullepart-sur-Mer", startsOn: "2026-05-01",
      endsOn: "2026-01-01",
    }))).rejects.toMatchObject({ code: "invalid", fields: {
      title: "Indiquez le titre de l'initiative.",
      stage: "Choisissez l'étape où en est l'initiative.",
      links: expect.stringContaining("Lien invalide"),
      territories: "Territoire inconnu : Nullepart-sur-Mer.",
      endsOn: "La fin ne peut précéder le début.",
    } });
  });

  it("lets only carriers and staff edit", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Édition réservée" }));

    await expect(updateInitiative(t.ctx(actorOf(outsider)), created.id,
      input([org.id], { title: "Pris" }))).rejects
      .toMatchObject({ code: "forbidden" });
    await expect(updateInitiative(t.ctx(visitor), created.id,
      input([org.id]))).rejects.toMatchObject({ code: "unauthenticated" });
    const byStaff = await updateInitiative(t.ctx(actorOf(staff)), created.id,
      input([org.id], { title: "Édition par l'équipe" }));
    expect(byStaff.title).toBe("Édition par l'équipe");
  });

  it("refuses a carrier adding an organisation they are not part of", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Pas d'ajout" }));

    await expect(updateInitiative(t.ctx(actorOf(ally)), created.id,
      input([org.id, other.id]))).rejects.toMatchObject({ code: "forbidden" });
  });

  it("lets only staff publish, and keeps a carrier's edit published and logged", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Publication modérée" }));
    await submitInitiative(t.ctx(actorOf(ally)), created.id);

    await expect(publishInitiative(t.ctx(actorOf(ally)), created.id))
      .rejects.toMatchObject({ code: "forbidden" });
    await publishInitiative(t.ctx(actorOf(staff)), created.id);
    const edited = await updateInitiative(t.ctx(actorOf(ally)), created.id,
      input([org.id], { title: "Publication modérée", summary: "Revu." }));

    expect(edited.status).toBe("published");
    const history = await findInitiativeHistory(t.ctx(actorOf(staff)),
      created.id);
    expect(history.map((h) => [h.action, h.status])).toEqual([
      ["edited", "published"], ["published", "published"],
      ["submitted", "submitted"], ["created", "draft"]]);
  });

  it("refuses a submission by someone who does not carry it", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Soumission" }));

    await expect(submitInitiative(t.ctx(actorOf(outsider)), created.id))
      .rejects.toMatchObject({ code: "forbidden" });
  });

  it("unpublishes with a reason mailed to the carriers, staff only", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Retrait motivé" }));
    await publishInitiative(t.ctx(actorOf(staff)), created.id);

    await expect(unpublishInitiative(t.ctx(actorOf(ally)), created.id,
      "non")).rejects.toMatchObject({ code: "forbidden" });
    await expect(unpublishInitiative(t.ctx(actorOf(staff)), created.id, " "))
      .rejects.toMatchObject({ code: "invalid" });
    await unpublishInitiative(t.ctx(actorOf(staff)), created.id,
      "Les dates sont à préciser.");
    await drainOutbox(t.database.db, smtpTransport(t.config),
      pino({ level: "silent" }));

    const [row] = await t.database.db.select().from(initiatives)
      .where(eq(initiatives.id, created.id));
    expect(row.status).toBe("draft");
    const mail = smtp.messages.find((m) => m.subject.includes("Retrait motivé"));
    expect(mail?.to).toEqual([ally.email]);
    expect(mail?.text).toContain("Les dates sont à préciser.");
  });

  it("lets carriers archive, not others", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Archivage" }));

    await expect(archiveInitiative(t.ctx(actorOf(outsider)), created.id))
      .rejects.toMatchObject({ code: "forbidden" });
    await archiveInitiative(t.ctx(actorOf(ally)), created.id);
  });

  it("hides a draft from visitors and other allies", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Brouillon caché" }));

    await expect(getInitiative(t.ctx(visitor), created.id)).rejects
      .toMatchObject({ code: "not_found" });
    await expect(getInitiative(t.ctx(actorOf(outsider)), created.id)).rejects
      .toMatchObject({ code: "not_found" });
    const seen = await getInitiative(t.ctx(actorOf(ally)), created.id);
    expect(seen.canEdit).toBe(true);
    const page = await t.client().get(`/initiatives/${created.slug}`);
    expect(page.statusCode).toBe(404);
  });

  it("sanitises a Markdown description carrying a script or an event handler", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Description piégée", description:
        "Bonjour <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>"
        + "\n\n[lien](javascript:alert(2)) et [site](https://exemple.org)" }));
    await publishInitiative(t.ctx(actorOf(staff)), created.id);

    const page = await t.client().get(`/initiatives/${created.slug}`);

    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).not.toContain("onerror");
    expect(page.body).not.toContain("javascript:");
    expect(page.body).toContain(
      '<a href="https://exemple.org" rel="noopener nofollow ugc">site</a>');
  });

  it("creates through the form and re-renders it with the input on error", async () => {
    const client = await t.client().signIn(ally.id);
    await client.get("/initiatives/nouvelle");

    const bad = await client.post("/initiatives/nouvelle", {
      title: "", summary: "Mon résumé gardé", carrierIds: org.id,
      stage: "idea", territories: "", themes: "", links: "",
      offerKind_0: "tool", offerText_0: "un outil gardé",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Indiquez le titre de l'initiative.");
    expect(bad.body).toContain("Mon résumé gardé");
    expect(bad.body).toContain("un outil gardé");

    const good = await client.post("/initiatives/nouvelle", {
      title: "Créée par le formulaire", summary: "", carrierIds: org.id,
      stage: "idea", territories: "Loos-en-Gohelle", themes: "eau",
      links: "", needKind_0: "study", needText_0: "étude hydrologique",
    });
    expect(good.statusCode).toBe(303);
    const page = await client.get(good.headers.location as string);
    expect(page.body).toContain("étude hydrologique");
    expect(page.body).toContain("Loos-en-Gohelle (62)");
  });

  it("asks which territory when a name is ambiguous, then takes the pick", async () => {
    const client = await t.client().signIn(ally.id);
    await client.get("/initiatives/nouvelle");
    const fields = { title: "Deux Forges", summary: "", carrierIds: org.id,
      stage: "idea", territories: "Forges", themes: "", links: "" };

    const ambiguous = await client.post("/initiatives/nouvelle", fields);
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.body).toContain("Forges (77)");
    expect(ambiguous.body).toContain("Forges (17)");

    const picked = await client.post("/initiatives/nouvelle",
      { ...fields, territoryPicks: "commune-77194" });
    expect(picked.statusCode).toBe(303);
    const page = await client.get(picked.headers.location as string);
    expect(page.body).toContain("Forges (77)");
  });

  it("takes form fields named like what every object inherits", async () => {
    const client = await t.client().signIn(ally.id);
    await client.get("/initiatives/nouvelle");
    const fields = { summary: "", carrierIds: org.id, stage: "idea",
      territories: "", themes: "", links: "" };
    for (const name of ["constructor", "__proto__", "toString",
      "hasOwnProperty"]) {
      // Parsed, so that "__proto__" is a field and not the prototype.
      const extra = JSON.parse(`{"${name}": "x"}`) as Record<string, string>;
      const created = await client.post("/initiatives/nouvelle",
        { ...fields, ...extra, title: `Champ ${name}` });
      expect(created.statusCode, name).toBe(303);
      const slug = (created.headers.location as string).split("/").pop();
      const edited = await client.post(`/initiatives/${slug}/modifier`,
        { ...fields, ...extra, title: `Champ ${name} modifié` });
      expect(edited.statusCode, name).toBe(303);
      // The multipart reader refuses such names itself, as a bad request.
      const uploaded = await client.upload("/initiatives/nouvelle",
        { field: "image", filename: "", content: Buffer.alloc(0) },
        { ...fields, ...extra, title: `Envoi ${name}` });
      expect(uploaded.statusCode, name).toBe(400);
    }
  });

  it("shows the moderation queue to staff only", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "En attente de l'équipe" }));
    await submitInitiative(t.ctx(actorOf(ally)), created.id);

    const denied = await (await t.client().signIn(ally.id))
      .get("/admin/initiatives");
    expect(denied.statusCode).toBe(403);
    const queue = await (await t.client().signIn(staff.id))
      .get("/admin/initiatives");
    expect(queue.body).toContain("En attente de l'équipe");
  });

  it("publishes from the staff's button and refuses the ally's", async () => {
    const created = await createInitiative(t.ctx(actorOf(ally)),
      input([org.id], { title: "Bouton publier" }));
    const allyClient = await t.client().signIn(ally.id);
    await allyClient.get(`/initiatives/${created.slug}`);

    const refused = await allyClient.post(`/initiatives/${created.slug}/publier`);
    expect(refused.statusCode).toBe(403);
    const staffClient = await t.client().signIn(staff.id);
    await staffClient.get(`/initiatives/${created.slug}`);
    const done = await staffClient.post(`/initiatives/${created.slug}/publier`);
    expect(done.statusCode).toBe(303);
    expect((await t.client().get(`/initiatives/${created.slug}`)).statusCode)
      .toBe(200);
  });
});
