import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  createDocumentRow, createPerson,
} from "../../../test/factories.ts";
import { toParisLocal } from "../../domain/time.ts";
import { ballots } from "../ballots/tables.ts";
import { randomUUID } from "node:crypto";
import { MAX_COMMENT_DEPTH } from "./debate.ts";
import { doctrineComments, doctrineTexts } from "./tables.ts";
import { renderToString } from "preact-render-to-string";
import { diffVersions } from "./diff.ts";
import { DiffView } from "./version-views.tsx";
import { ErrorSummary } from "../../web/layout.tsx";

const DAY = 86_400_000;
const later = (days: number) => toParisLocal(new Date(Date.now() + days * DAY));

describe("doctrine pages", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it("takes a text from proposal through debate, amendment and ballot to "
    + "the doctrine, with its history and diff", async () => {
    const db = t.database.db;
    const staff = await t.client().signIn(
      (await createPerson(db, { role: "staff" })).id);
    const proposerPerson = await createPerson(db);
    const proposer = await t.client().signIn(proposerPerson.id);
    const ally = await t.client().signIn((await createPerson(db)).id);
    const document = await createDocumentRow(db, { title: "Référentiel X",
      kind: "framework", body: "Coopérer entre <b>territoires</b>.\n\n"
        + "<script>alert(1)</script>Fin." });

    await proposer.get("/doctrine/propositions");
    const proposed = await proposer.post("/doctrine/propositions",
      { documentId: document.id, reason: "Parce que." });
    expect(proposed.statusCode).toBe(303);
    const base = proposed.headers.location as string;
    expect(base).toBe(`/doctrine/${document.slug}`);

    await staff.get(base);
    expect((await staff.post(`${base}/debat`, { endsAt: later(5) }))
      .statusCode).toBe(303);
    await ally.get(base);
    const badComment = await ally.post(`${base}/commentaires`, { body: " " });
    expect(badComment.statusCode).toBe(400);
    expect(badComment.body).toContain("Écrivez votre commentaire.");
    await ally.post(`${base}/commentaires`, {
      body: "Bien <img src=x onerror=alert(1)> [lien](javascript:alert(1))" });
    const badAmendment = await ally.post(`${base}/amendements`, {
      passage: "Introuvable", replacement: "x", reason: "r" });
    expect(badAmendment.statusCode).toBe(400);
    expect(badAmendment.body).toContain("Introuvable");
    await ally.post(`${base}/amendements`, {
      passage: "Coopérer entre", replacement: "Coopérer durablement entre",
      reason: "Durée." });
    const page = await proposer.get(base);
    const id = /amendements\/([0-9a-f-]{36})\/decision/.exec(page.body)![1];
    expect((await ally.post(`${base}/amendements/${id}/decision`,
      { decision: "accept" })).statusCode).toBe(403);
    expect((await proposer.post(`${base}/amendements/${id}/decision`,
      { decision: "accept" })).statusCode).toBe(303);

    const shown = await ally.get(base);
    expect(shown.body).not.toContain("<script>alert(1)");
    expect(shown.body).not.toContain("onerror");
    expect(shown.body).not.toContain("javascript:");
    expect(shown.body).toContain("Historique des versions");

    const diff = await t.client().get(`${base}/versions?de=1&a=2`);
    expect(diff.headers.location).toContain("/connexion");
    const diffAlly = await ally.get(`${base}/versions?de=1&a=2`);
    expect(diffAlly.body).toContain("<ins>durablement </ins>");
    expect(diffAlly.body).toContain("&lt;script>alert(1)&lt;/script>");
    expect(diffAlly.body).not.toContain("<script>alert");
    expect((await ally.get(`${base}/versions?de=1&a=9`)).statusCode)
      .toBe(400);

    await db.update(doctrineTexts).set({
      debateOpenedAt: new Date(Date.now() - 2 * DAY),
      debateEndsAt: new Date(Date.now() - DAY) })
      .where(eq(doctrineTexts.slug, document.slug));
    expect((await ally.post(`${base}/scrutin`, { closesAt: later(3),
      quorumKind: "count", quorumValue: "1", majority: "simple" }))
      .statusCode).toBe(403);
    await staff.get(base);
    expect((await staff.post(`${base}/scrutin`, { closesAt: later(3),
      quorumKind: "count", quorumValue: "1", majority: "simple" }))
      .statusCode).toBe(303);
    const [ballot] = await db.select().from(ballots)
      .where(eq(ballots.subjectKind, "doctrine"));
    const ballotPage = await ally.get(`/scrutins/${ballot.id}`);
    expect(ballotPage.body).toContain(`href="${base}"`);
    expect((await ally.get("/mes-scrutins")).body).toContain(`href="${base}"`);
    await ally.post(`/scrutins/${ballot.id}/vote`, { choice: "for" });
    expect((await ally.post(`${base}/scrutin/cloture`)).statusCode).toBe(403);
    await staff.get(base);
    expect((await staff.post(`${base}/scrutin/cloture`)).statusCode)
      .toBe(303);

    const list = await t.client().get("/doctrine");
    expect(list.body).toContain("Référentiel X");
    expect(list.body).toContain("version 2, validée le");
    const publicPage = await t.client().get(base);
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).toContain("Texte de la doctrine — version 2");
  });

  it("keeps texts under way from visitors", async () => {
    const db = t.database.db;
    const ally = await t.client().signIn((await createPerson(db)).id);
    const document = await createDocumentRow(db, { body: "Les territoires coopèrent." });
    await ally.get("/doctrine/propositions");
    const proposed = await ally.post("/doctrine/propositions",
      { documentId: document.id, reason: "Oui." });

    const signIn = (r: { headers: Record<string, unknown> }) =>
      expect(r.headers.location).toContain("/connexion");
    signIn(await t.client().get(proposed.headers.location as string));
    signIn(await t.client().get("/doctrine/propositions"));
    const other = await createDocumentRow(db, { body: "Les territoires coopèrent." });
    const byVisitor = await t.client().post("/doctrine/propositions",
      { documentId: other.id, reason: "Oui." });
    expect(byVisitor.statusCode).not.toBe(200);
    expect(await db.select().from(doctrineTexts)
      .where(eq(doctrineTexts.documentId, other.id))).toEqual([]);
  });

  /** A text in debate until later, proposed by a fresh ally. */
  async function inDebate() {
    const db = t.database.db;
    const staffPerson = await createPerson(db, { role: "staff" });
    const staff = await t.client().signIn(staffPerson.id);
    const allyPerson = await createPerson(db);
    const ally = await t.client().signIn(allyPerson.id);
    const document = await createDocumentRow(db,
      { body: "Les territoires coopèrent." });
    await ally.get("/doctrine/propositions");
    const base = (await ally.post("/doctrine/propositions",
      { documentId: document.id, reason: "Oui." })).headers.location as string;
    await staff.get(base);
    await staff.post(`${base}/debat`, { endsAt: later(5) });
    const [text] = await db.select().from(doctrineTexts)
      .where(eq(doctrineTexts.slug, document.slug));

    return { staff, ally, allyPerson, base, text };
  }

  /** How deep lists nest in the comments section of a page. */
  function commentNesting(html: string) {
    const section = html.slice(html.indexOf("<h3>Commentaires</h3>"));
    let depth = 0;
    let deepest = 0;
    for (const tag of section.matchAll(/<(\/?)ul[ >]/g)) {
      depth += tag[1] ? -1 : 1;
      deepest = Math.max(deepest, depth);
      if (depth < 0) break;
    }

    return deepest;
  }

  it("shows a thread deeper than the cap, written before it, at the cap "
    + "rather than failing", async () => {
    const { ally, allyPerson, base, text } = await inDebate();
    const ids = Array.from({ length: 700 }, () => randomUUID());
    const start = Date.now() - 60_000;
    await t.database.db.insert(doctrineComments).values(ids.map((id, i) => ({
      id, textId: text.id, round: 1, parentId: i ? ids[i - 1] : null,
      authorId: allyPerson.id, body: `Réponse numéro ${i}.`,
      createdAt: new Date(start + i) })));

    const page = await ally.get(base);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Réponse numéro 699.");
    expect(commentNesting(page.body)).toBe(MAX_COMMENT_DEPTH);
    const replied = await ally.post(`${base}/commentaires`,
      { body: "Au bout du fil.", parentId: ids[699] });
    expect(replied.statusCode).toBe(303);
    const [reply] = await t.database.db.select().from(doctrineComments)
      .where(eq(doctrineComments.body, "Au bout du fil."));
    expect(reply.parentId).toBe(ids[MAX_COMMENT_DEPTH - 2]);
  });

  it("lets staff hide a comment from the page; an ally is refused",
    async () => {
      const { staff, ally, base } = await inDebate();
      await ally.get(base);
      await ally.post(`${base}/commentaires`, { body: "Propos déplacés." });
      const [comment] = await t.database.db.select().from(doctrineComments)
        .where(eq(doctrineComments.body, "Propos déplacés."));
      const hide = `${base}/commentaires/${comment.id}/masquer`;

      await ally.get(base);
      expect((await ally.post(hide)).statusCode).toBe(403);
      expect((await ally.get(base)).body).toContain("Propos déplacés.");
      expect((await staff.get(base)).body).toContain(hide);
      expect((await staff.post(hide)).statusCode).toBe(303);
      const shown = await ally.get(base);
      expect(shown.body).not.toContain("Propos déplacés.");
      expect(shown.body).toContain("Commentaire masqué par l'équipe.");
    });

  it("shows visitors a revised text as validated, without the revision's "
    + "versions, amendments, debate or ballot", async () => {
    const { staff, ally, base, text } = await inDebate();
    await ally.get(base);
    await ally.post(`${base}/commentaires`, { body: "Débat du premier tour." });
    await t.database.db.update(doctrineTexts).set({ status: "validated",
      validatedVersion: 1, validatedAt: new Date() })
      .where(eq(doctrineTexts.id, text.id));
    await ally.get("/doctrine/propositions");
    await ally.post("/doctrine/propositions",
      { documentId: text.documentId, reason: "Raison de la révision." });
    await staff.get(base);
    await staff.post(`${base}/debat`, { endsAt: later(5) });
    await ally.get(base);
    await ally.post(`${base}/commentaires`, { body: "Commentaire de révision." });
    await ally.post(`${base}/amendements`, { passage: "coopèrent",
      replacement: "coopèrent durablement", reason: "Motif de l'amendement." });
    const id = /amendements\/([0-9a-f-]{36})\/decision/
      .exec((await ally.get(base)).body)![1];
    expect((await ally.post(`${base}/amendements/${id}/decision`,
      { decision: "accept" })).statusCode).toBe(303);

    const visitor = t.client();
    const page = await visitor.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Texte de la doctrine — version 1");
    expect(page.body).toContain("Débat du premier tour.");
    for (const hidden of ["Version en examen", "Révision", "durablement",
      "Motif de l'amendement.", "Commentaire de révision.",
      "Raison de la révision.", "Débat ouvert"]) {
      expect(page.body).not.toContain(hidden);
    }
    expect((await visitor.get(`${base}/versions?de=1&a=2`)).statusCode)
      .toBe(400);
    const versions = await visitor.get(`${base}/versions`);
    expect(versions.statusCode).toBe(200);
    expect(versions.body).not.toContain("Version 2");
    expect((await visitor.get("/doctrine")).body)
      .not.toContain("révision en cours");

    const signedIn = await ally.get(base);
    expect(signedIn.body).toContain("Version en examen (version 2)");
    expect(signedIn.body).toContain("Commentaire de révision.");
    expect((await ally.get(`${base}/versions?de=1&a=2`)).body)
      .toContain("<ins>");
  });

  it("tells an ally who joined after the opening that they do not vote",
    async () => {
      const { staff, base, text } = await inDebate();
      await t.database.db.update(doctrineTexts).set({
        debateOpenedAt: new Date(Date.now() - 2 * DAY),
        debateEndsAt: new Date(Date.now() - DAY) })
        .where(eq(doctrineTexts.id, text.id));
      await staff.get(base);
      await staff.post(`${base}/scrutin`, { closesAt: later(3),
        quorumKind: "count", quorumValue: "1", majority: "simple" });
      const [{ ballotId }] = await t.database.db.select().from(doctrineTexts)
        .where(eq(doctrineTexts.id, text.id));
      const late = await t.client().signIn(
        (await createPerson(t.database.db)).id);

      const page = await late.get(`/scrutins/${ballotId}`);
      expect(page.body).toContain("Vous ne votez pas à ce scrutin");
      const vote = await late.post(`/scrutins/${ballotId}/vote`,
        { choice: "for" });
      expect(vote.statusCode).toBe(403);
      expect(vote.body).toContain("ses votant·es sont fixé·es à son "
        + "ouverture");
    });

  it("answers a brief with an impossible or past deadline with its form "
    + "and a French message", async () => {
    const { staff, base, text } = await inDebate();
    await t.database.db.update(doctrineTexts).set({ status: "validated",
      validatedVersion: 1, validatedAt: new Date() })
      .where(eq(doctrineTexts.id, text.id));
    const brief = { audience: "Élu·es", format: "Vidéo", themes: "",
      description: "Trois minutes." };

    await staff.get(base);
    const impossible = await staff.post(`${base}/cahiers`,
      { ...brief, deadline: "2027-02-31" });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.body).toContain("Cette date n'existe pas");
    const past = await staff.post(`${base}/cahiers`,
      { ...brief, deadline: "2000-01-01" });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain("Cette date est passée");
  });

  it("shows the ballot and brief forms without errors before they are "
    + "sent", async () => {
    const { staff, base, text } = await inDebate();
    await t.database.db.update(doctrineTexts).set({
      debateOpenedAt: new Date(Date.now() - 2 * DAY),
      debateEndsAt: new Date(Date.now() - DAY) })
      .where(eq(doctrineTexts.id, text.id));
    const ballotForm = await staff.get(base);
    expect(ballotForm.body).toContain("Ouvrir le scrutin de validation");
    expect(ballotForm.body).not.toContain("Le formulaire contient des "
      + "erreurs.");
    await t.database.db.update(doctrineTexts).set({ status: "validated",
      validatedVersion: 1, validatedAt: new Date() })
      .where(eq(doctrineTexts.id, text.id));
    const briefForm = await staff.get(base);
    expect(briefForm.body).toContain("Écrire un cahier des charges");
    expect(briefForm.body).not.toContain("Le formulaire contient des "
      + "erreurs.");
    expect(renderToString(<ErrorSummary fields={{}} />)).toBe("");
    expect(renderToString(<ErrorSummary fields={{ a: "Erreur." }} />))
      .toContain("Le formulaire contient des erreurs.");
  });

  it("renders a diff as escaped text inside ins and del", () => {
    const html = renderToString(<DiffView parts={diffVersions(
      "Texte <b>gras</b>", "Texte <script>x()</script>")} />);

    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toMatch(/<del>[^<]*gras/);
    expect(html).toMatch(/<ins>[^<]*script/);
    expect(html).toContain("&lt;");
  });
});
