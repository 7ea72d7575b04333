import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, createDocumentRow, createPerson, visitor,
} from "../../../test/factories.ts";
import { PARIS_GAP } from "../../domain/time.ts";
import { outbox } from "../../mail/tables.ts";
import { auditEvents } from "../audit/tables.ts";
import {
  addComment, decideAmendment, hideComment, MAX_COMMENT_DEPTH,
  proposeAmendment,
} from "./debate.ts";
import { getDoctrinePage } from "./queries.ts";
import { doctrineVersions } from "./tables.ts";
import { findVersions, openDebate, proposeDoctrine } from "./texts.ts";
import {
  BODY, doctrineScene, endDebate as endTextDebate, later, refusal,
} from "./test-scene.ts";

describe("doctrine: proposals and debates", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  const scene = (options?: { debate?: boolean; body?: string }) =>
    doctrineScene(t, options);
  const endDebate = (textId: string) => endTextDebate(t, textId);

  it("records a proposal with the document's body as version 1", async () => {
    const s = await scene({ debate: false });

    const versions = await findVersions(t.database.db, s.text.id);

    expect(s.text).toMatchObject({ status: "proposed", round: 1,
      proposedBy: s.proposer.id, slug: s.document.slug });
    expect(versions.map((v) => [v.version.number, v.version.body]))
      .toEqual([[1, BODY]]);
  });

  it("refuses a proposal from a visitor, without a reason, or of a "
    + "document that is not a published finding, framework, study or key "
    + "text", async () => {
    const db = t.database.db;
    const ally = await createPerson(db);
    const ctx = t.ctx(actorOf(ally));
    const document = await createDocumentRow(db, { body: BODY });
    const charter = await createDocumentRow(db,
      { body: BODY, kind: "charter" });
    const submitted = await createDocumentRow(db,
      { body: BODY, status: "submitted" });

    expect((await refusal(proposeDoctrine(t.ctx(visitor),
      { documentId: document.id, reason: "Oui." }))).code)
      .toBe("unauthenticated");
    expect((await refusal(proposeDoctrine(ctx,
      { documentId: document.id, reason: "  " }))).fields)
      .toHaveProperty("reason");
    for (const d of [charter, submitted]) {
      expect((await refusal(proposeDoctrine(ctx,
        { documentId: d.id, reason: "Oui." }))).fields)
        .toHaveProperty("documentId");
    }
    await proposeDoctrine(ctx, { documentId: document.id, reason: "Oui." });
    expect((await refusal(proposeDoctrine(ctx,
      { documentId: document.id, reason: "Encore." }))).code)
      .toBe("conflict");
  });

  it("says that a debate end skipped by the spring clock change does not "
    + "exist", async () => {
    const s = await scene({ debate: false });

    const error = await refusal(openDebate(s.staffCtx,
      { textId: s.text.id, endsAt: "2027-03-28T02:30" }));

    expect(error.fields.endsAt).toBe(PARIS_GAP);
    expect(PARIS_GAP).toContain("n'existe pas à Paris ce jour-là");
  });

  it("lets only staff open the debate, with an end date to come, and "
    + "tells the proposer", async () => {
    const s = await scene({ debate: false });

    expect((await refusal(openDebate(s.proposerCtx,
      { textId: s.text.id, endsAt: later(7) }))).code).toBe("forbidden");
    expect((await refusal(openDebate(t.ctx(visitor),
      { textId: s.text.id, endsAt: later(7) }))).code)
      .toBe("unauthenticated");
    expect((await refusal(openDebate(s.staffCtx,
      { textId: s.text.id, endsAt: later(-1) }))).fields)
      .toHaveProperty("endsAt");
    const opened = await openDebate(s.staffCtx,
      { textId: s.text.id, endsAt: later(7) });

    expect(opened.status).toBe("debate");
    const mails = await t.database.db.select().from(outbox)
      .where(eq(outbox.recipient, s.proposer.email!));
    expect(mails.map((m) => m.subject))
      .toContain("Débat ouvert sur « Constat commun »");
  });

  it("takes threaded comments from allies during the debate only",
    async () => {
      const s = await scene();
      const first = await addComment(s.allyCtx,
        { textId: s.text.id, body: "Je suis d'accord." });
      const reply = await addComment(s.proposerCtx,
        { textId: s.text.id, body: "Merci.", parentId: first.id });

      expect(reply.parentId).toBe(first.id);
      expect((await refusal(addComment(t.ctx(visitor),
        { textId: s.text.id, body: "Anonyme" }))).code)
        .toBe("unauthenticated");
      expect((await refusal(addComment(s.allyCtx,
        { textId: s.text.id, body: "   " }))).fields).toHaveProperty("body");
      const other = await scene();
      expect((await refusal(addComment(s.allyCtx, { textId: other.text.id,
        body: "Réponse ailleurs", parentId: first.id }))).code)
        .toBe("invalid");
      await endDebate(s.text.id);
      expect((await refusal(addComment(s.allyCtx,
        { textId: s.text.id, body: "Trop tard" }))).code).toBe("conflict");
    });

  it("attaches a reply to a comment at the deepest level next to it, as "
    + "forums do", async () => {
    const s = await scene();
    const chain = [await addComment(s.allyCtx,
      { textId: s.text.id, body: "Niveau 1" })];
    for (let level = 2; level <= MAX_COMMENT_DEPTH; level += 1) {
      chain.push(await addComment(s.allyCtx, { textId: s.text.id,
        body: `Niveau ${level}`, parentId: chain[chain.length - 1].id }));
    }
    const deepest = chain[MAX_COMMENT_DEPTH - 1];

    const reply = await addComment(s.proposerCtx,
      { textId: s.text.id, body: "Réponse", parentId: deepest.id });
    const again = await addComment(s.allyCtx,
      { textId: s.text.id, body: "Et encore", parentId: reply.id });

    expect(MAX_COMMENT_DEPTH).toBe(5);
    expect(reply.parentId).toBe(deepest.parentId);
    expect(again.parentId).toBe(deepest.parentId);
    expect((await addComment(s.allyCtx, { textId: s.text.id,
      body: "Plus haut", parentId: chain[1].id })).parentId)
      .toBe(chain[1].id);
  });

  it("lets staff hide a comment, and no one else", async () => {
    const s = await scene();
    const comment = await addComment(s.allyCtx,
      { textId: s.text.id, body: "Hors sujet." });

    for (const ctx of [s.allyCtx, s.proposerCtx]) {
      expect((await refusal(hideComment(ctx,
        { textId: s.text.id, commentId: comment.id }))).code)
        .toBe("forbidden");
    }
    expect((await refusal(hideComment(t.ctx(visitor),
      { textId: s.text.id, commentId: comment.id }))).code)
      .toBe("unauthenticated");
    const hidden = await hideComment(s.staffCtx,
      { textId: s.text.id, commentId: comment.id });

    expect(hidden.hiddenBy).toBe(s.staff.id);
    const page = await getDoctrinePage(s.allyCtx, s.text.slug);
    expect(page.comments.find((c) => c.id === comment.id)?.body).toBe("");
    const trail = await t.database.db.select().from(auditEvents)
      .where(eq(auditEvents.subjectId, comment.id));
    expect(trail.map((e) => e.action)).toEqual(["doctrine.comment_hidden"]);
  });

  it("refuses an amendment whose passage is not in the current version, "
    + "or appears twice, and one from a visitor", async () => {
    const s = await scene({ body: "Un mot. Un mot. Une phrase unique." });
    const amend = (passage: string, ctx = s.allyCtx) => proposeAmendment(ctx,
      { textId: s.text.id, passage, replacement: "Autre", reason: "Mieux." });

    expect((await refusal(amend("Absent du texte"))).fields.passage)
      .toContain("ne figure pas");
    expect((await refusal(amend("Un mot."))).fields.passage)
      .toContain("plusieurs fois");
    expect((await refusal(amend("Une phrase", t.ctx(visitor)))).code)
      .toBe("unauthenticated");
    expect((await refusal(proposeAmendment(s.allyCtx, { textId: s.text.id,
      passage: "Une phrase", replacement: "X", reason: "" }))).fields)
      .toHaveProperty("reason");
    expect((await amend("Une phrase unique.")).baseVersion).toBe(1);
  });

  it("lets only the proposer or staff decide an amendment; accepting "
    + "writes the next version and tells the author", async () => {
    const s = await scene();
    const amendment = await proposeAmendment(s.allyCtx, {
      textId: s.text.id, passage: "La transition demande du temps.",
      replacement: "La transition demande du temps et de la confiance.",
      reason: "La confiance compte." });
    const other = await createPerson(t.database.db);

    expect((await refusal(decideAmendment(t.ctx(actorOf(other)),
      { amendmentId: amendment.id, decision: "accept" }))).code)
      .toBe("forbidden");
    expect((await refusal(decideAmendment(s.allyCtx,
      { amendmentId: amendment.id, decision: "accept" }))).code)
      .toBe("forbidden");
    expect((await refusal(decideAmendment(t.ctx(visitor),
      { amendmentId: amendment.id, decision: "accept" }))).code)
      .toBe("unauthenticated");
    expect((await refusal(decideAmendment(s.proposerCtx,
      { amendmentId: amendment.id, decision: "peut-être" }))).code)
      .toBe("invalid");
    const decided = await decideAmendment(s.proposerCtx,
      { amendmentId: amendment.id, decision: "accept", note: "Bien vu." });

    expect(decided).toMatchObject({ status: "accepted", resultingVersion: 2 });
    const versions = await findVersions(t.database.db, s.text.id);
    expect(versions[1].version.body).toContain("du temps et de la confiance.");
    expect(versions[1].version.authorId).toBe(s.ally.id);
    expect((await refusal(decideAmendment(s.staffCtx,
      { amendmentId: amendment.id, decision: "reject" }))).code)
      .toBe("conflict");
    const mails = await t.database.db.select().from(outbox)
      .where(eq(outbox.recipient, s.ally.email!));
    expect(mails.map((m) => m.subject))
      .toContain("Votre amendement à « Constat commun » est accepté");
  });

  it("refuses to accept an amendment whose passage another accepted "
    + "amendment removed", async () => {
    const s = await scene();
    const first = await proposeAmendment(s.allyCtx, { textId: s.text.id,
      passage: "Les communs se partagent.", replacement: "Les communs vivent.",
      reason: "Plus juste." });
    const second = await proposeAmendment(s.allyCtx, { textId: s.text.id,
      passage: "communs se partagent", replacement: "biens circulent",
      reason: "Autre idée." });
    await decideAmendment(s.staffCtx,
      { amendmentId: first.id, decision: "accept" });

    const error = await refusal(decideAmendment(s.staffCtx,
      { amendmentId: second.id, decision: "accept" }));

    expect(error.code).toBe("conflict");
    expect(error.message).toContain("n'existe plus dans la version actuelle "
      + "(version 2)");
    const rejected = await decideAmendment(s.staffCtx,
      { amendmentId: second.id, decision: "reject" });
    expect(rejected.status).toBe("rejected");
  });

  it("numbers versions without a gap or a loss when amendments are "
    + "accepted at once", async () => {
    const lines = Array.from({ length: 8 }, (_, i) => `Ligne numéro ${i}.`);
    const s = await scene({ body: lines.join("\n") });
    const amendments = await Promise.all(lines.map((line, i) =>
      proposeAmendment(s.allyCtx, { textId: s.text.id, passage: line,
        replacement: `Ligne amendée ${i}.`, reason: "Clarté." })));

    const results = await Promise.allSettled(amendments.map((a, i) =>
      decideAmendment(i % 2 ? s.staffCtx : s.proposerCtx,
        { amendmentId: a.id, decision: "accept" })));

    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    const versions = await t.database.db.select().from(doctrineVersions)
      .where(eq(doctrineVersions.textId, s.text.id))
      .orderBy(doctrineVersions.number);
    expect(versions.map((v) => v.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let i = 0; i < 8; i += 1) {
      expect(versions[8].body).toContain(`Ligne amendée ${i}.`);
    }
    const produced = results.map((r) =>
      (r as PromiseFulfilledResult<{ resultingVersion: number }>).value
        .resultingVersion).sort((a, b) => a - b);
    expect(produced).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
