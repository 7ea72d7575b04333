import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, addMembership, createOrganisation, createPerson, visitor,
} from "../../../test/factories.ts";
import { systemCtx } from "../../domain/context.ts";
import { outbox } from "../../mail/tables.ts";
import { seedAllianceData } from "../../seed.ts";
import { auditEvents } from "../audit/tables.ts";
import {
  depositDocument, findDocuments, getDocument, getDocumentFile,
} from "./documents.ts";
import {
  publishDocument, refuseDocument, withdrawDocument,
} from "./review.ts";
import { findRecentPublications } from "./recent-publications.ts";
import { searchLibrary } from "./search.ts";
import { documentOrganisations, documents } from "./tables.ts";
import { pdfWithoutText, pdfWithText } from "./test-files.ts";

describe("depositing and validating documents", () => {
  let t: TestApp;
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), "atelier-up-"));

  beforeAll(async () => { t = await createTestApp({ uploadsDir }); });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(uploadsDir, { recursive: true, force: true });
  });

  const deposit = async (actor: any, extra: Record<string, unknown> = {}) =>
    depositDocument(t.ctx(actor), { title: "Étude des mobilités",
      kind: "study", year: "2022", summary: "Les mobilités rurales.",
      file: { name: "etude.pdf", bytes: pdfWithText("Covoiturage rural") },
      ...extra });

  it("keeps a deposited file outside the database, with its text",
    async () => {
      const ally = await createPerson(t.database.db);
      const doc = await deposit(actorOf(ally));

      expect(doc.status).toBe("submitted");
      expect(doc.textStatus).toBe("extracted");
      expect(doc.body).toBe("Covoiturage rural");
      expect(doc.fileName).toMatch(/^[0-9a-f]{32}$/);
      expect(fs.readFileSync(path.join(uploadsDir, doc.fileName!))
        .subarray(0, 5).toString()).toBe("%PDF-");
      expect(doc.fileContentType).toBe("application/pdf");
    });

  it("stores a PDF without text layer, flagged, and a corrupt one too",
    async () => {
      const ally = await createPerson(t.database.db);
      const scan = await deposit(actorOf(ally),
        { file: { name: "scan.pdf", bytes: pdfWithoutText() } });
      const corrupt = await deposit(actorOf(ally), { file: {
        name: "casse.pdf", bytes: Buffer.from("%PDF-1.7\ngarbage") } });

      for (const doc of [scan, corrupt]) {
        expect(doc.textStatus).toBe("not_extracted");
        expect(doc.body).toBe("");
        expect(fs.existsSync(path.join(uploadsDir, doc.fileName!))).toBe(true);
      }
    });

  it("takes a link to a resource with its summary", async () => {
    const ally = await createPerson(t.database.db);
    const doc = await deposit(actorOf(ally), { file: null,
      sourceUrl: "ressources.example.org/guide" });
    expect(doc.sourceUrl).toBe("https://ressources.example.org/guide");
    expect(doc.textStatus).toBe("none");
    await expect(deposit(actorOf(ally), { file: null, summary: "",
      sourceUrl: "https://a.example.org" })).rejects.toMatchObject(
      { code: "invalid", fields: { summary: expect.any(String) } });
  });

  it("refuses a deposit from a visitor", async () => {
    await expect(deposit(visitor)).rejects.toMatchObject(
      { code: "unauthenticated" });
  });

  it("refuses bad input with French messages", async () => {
    const ally = actorOf(await createPerson(t.database.db));
    await expect(deposit(ally, { title: " ", kind: "poème", year: "21",
      file: null })).rejects.toMatchObject({ code: "invalid", fields: {
      title: expect.any(String), kind: expect.any(String),
      year: expect.any(String), file: expect.any(String) } });
    await expect(deposit(ally, { file: { name: "virus.pdf",
      bytes: Buffer.from("MZ\u0090\u0000binary") } })).rejects.toMatchObject(
      { fields: { file: expect.stringMatching(/ne correspond pas/) } });
    await expect(deposit(ally, { file: { name: "a.exe",
      bytes: Buffer.from("MZ") } })).rejects.toMatchObject(
      { fields: { file: expect.stringMatching(/Formats/) } });
  });

  it("lets an ally deposit only for their own organisations", async () => {
    const ally = await createPerson(t.database.db);
    const mine = await createOrganisation(t.database.db);
    const other = await createOrganisation(t.database.db);
    await addMembership(t.database.db, ally.id, mine.id);

    const doc = await deposit(actorOf(ally), { organisationIds: [mine.id] });
    expect(await t.database.db.select().from(documentOrganisations)
      .where(eq(documentOrganisations.documentId, doc.id))).toHaveLength(1);
    await expect(deposit(actorOf(ally), { organisationIds: [other.id] }))
      .rejects.toMatchObject({ fields: { organisations: expect.any(String) } });
  });

  it("shows a deposit only to its depositor and staff until published",
    async () => {
      const ally = await createPerson(t.database.db);
      const other = await createPerson(t.database.db);
      const staff = await createPerson(t.database.db, { role: "staff" });
      const doc = await deposit(actorOf(ally));

      await expect(getDocument(t.ctx(visitor), doc.slug)).rejects
        .toMatchObject({ code: "not_found" });
      await expect(getDocumentFile(t.ctx(actorOf(other)), doc.slug)).rejects
        .toMatchObject({ code: "not_found" });
      expect((await getDocument(t.ctx(actorOf(ally)), doc.slug)).document.id)
        .toBe(doc.id);
      expect((await getDocumentFile(t.ctx(actorOf(staff)), doc.slug)).bytes
        .subarray(0, 5).toString()).toBe("%PDF-");
    });

  it("publishes on staff's validation, tells the depositor, and audits",
    async () => {
      const ally = await createPerson(t.database.db);
      const staff = await createPerson(t.database.db, { role: "staff" });
      const doc = await deposit(actorOf(ally), { title: "Covoiturage et "
        + "territoires ruraux" });

      await expect(publishDocument(t.ctx(actorOf(ally)), { id: doc.id }))
        .rejects.toMatchObject({ code: "forbidden" });
      await expect(refuseDocument(t.ctx(visitor), { id: doc.id }))
        .rejects.toMatchObject({ code: "forbidden" });
      expect((await searchLibrary(t.ctx(visitor), { q: "covoiturage" }))
        .total).toBe(0);

      const published = await publishDocument(t.ctx(actorOf(staff)),
        { id: doc.id });
      expect(published.status).toBe("published");
      expect(published.publishedAt).toBeInstanceOf(Date);
      await expect(publishDocument(t.ctx(actorOf(staff)), { id: doc.id }))
        .rejects.toMatchObject({ code: "conflict" });
      const hits = await searchLibrary(t.ctx(visitor), { q: "covoiturage" });
      expect(hits.hits.map((h) => h.id)).toEqual([doc.id]);
      const mails = await t.database.db.select().from(outbox)
        .where(eq(outbox.recipient, ally.email!));
      expect(mails.map((m) => m.subject)).toEqual(["Votre document est publié"]);
      const audit = await t.database.db.select().from(auditEvents)
        .where(eq(auditEvents.subjectId, doc.id));
      expect(audit.map((a) => a.action).sort())
        .toEqual(["document.deposited", "document.published"]);
    });

  it("withdraws a published document on staff's word, kept for its depositor",
    async () => {
      const ally = await createPerson(t.database.db);
      const staff = await createPerson(t.database.db, { role: "staff" });
      const doc = await deposit(actorOf(ally), { title: "Méthanisation "
        + "agricole" });
      await expect(withdrawDocument(t.ctx(actorOf(staff)),
        { id: doc.id, note: "Doublon." })).rejects
        .toMatchObject({ code: "conflict" });
      await publishDocument(t.ctx(actorOf(staff)), { id: doc.id });
      expect((await searchLibrary(t.ctx(visitor), { q: "méthanisation" }))
        .total).toBe(1);

      await expect(withdrawDocument(t.ctx(actorOf(ally)),
        { id: doc.id, note: "Je retire." })).rejects
        .toMatchObject({ code: "forbidden" });
      await expect(withdrawDocument(t.ctx(actorOf(staff)),
        { id: doc.id, note: "  " })).rejects
        .toMatchObject({ code: "invalid" });
      const withdrawn = await withdrawDocument(t.ctx(actorOf(staff)),
        { id: doc.id, note: "Document remplacé par sa version 2023." });
      expect(withdrawn.status).toBe("withdrawn");

      expect((await searchLibrary(t.ctx(visitor), { q: "méthanisation" }))
        .total).toBe(0);
      expect((await findDocuments(t.ctx(visitor), {})).items
        .map((d) => d.id)).not.toContain(doc.id);
      expect((await findRecentPublications(t.ctx(visitor)))
        .map((p) => p.slug)).not.toContain(doc.slug);
      await expect(getDocument(t.ctx(visitor), doc.slug)).rejects
        .toMatchObject({ code: "not_found" });
      expect((await getDocument(t.ctx(actorOf(ally)), doc.slug)).document
        .reviewNote).toBe("Document remplacé par sa version 2023.");
      const mails = await t.database.db.select().from(outbox)
        .where(eq(outbox.recipient, ally.email!));
      expect(mails.map((m) => m.subject)).toContain(
        "Votre document a été retiré");
      const audit = await t.database.db.select().from(auditEvents)
        .where(eq(auditEvents.subjectId, doc.id));
      expect(audit.map((a) => a.action)).toContain("document.withdrawn");
    });

  it("refuses with a word for the depositor", async () => {
    const ally = await createPerson(t.database.db);
    const staff = await createPerson(t.database.db, { role: "staff" });
    const doc = await deposit(actorOf(ally));
    const refused = await refuseDocument(t.ctx(actorOf(staff)),
      { id: doc.id, note: "Hors du champ de l'Alliance." });

    expect(refused.status).toBe("refused");
    const [mail] = await t.database.db.select().from(outbox)
      .where(eq(outbox.dedupeKey, `document:${doc.id}:refused`));
    expect(mail.text).toContain("Hors du champ de l'Alliance.");
  });
});

describe("the alliance's documents on a fresh start", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  it("imports the key texts and the full strategy, once", async () => {
    const ctx = systemCtx(t.ctx(visitor));
    await seedAllianceData(ctx);
    await seedAllianceData(ctx);

    const rows = await t.database.db.select().from(documents);
    expect(rows).toHaveLength(11);
    expect(rows.every((d) => d.status === "published")).toBe(true);
    const strategy = rows.find((d) => d.kind === "strategy"
      && d.title.startsWith("Stratégie"))!;
    expect(strategy.body.length).toBeGreaterThan(4000);
    expect(rows.find((d) => d.language === "en")?.kind).toBe("charter");
    expect(rows.find((d) => d.title === "Bilan 2024")?.kind).toBe("review");

    const search = await searchLibrary(t.ctx(visitor),
      { q: "doctrine partagée" });
    expect(search.hits[0]?.slug).toBe(strategy.slug);
  });
});
