import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, addMembership, createDocumentRow, createOrganisationRow,
  createPerson, visitor,
} from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import { systemCtx } from "../../domain/context.ts";
import { DomainError } from "../../domain/errors.ts";
import { PARIS_GAP, toParisLocal } from "../../domain/time.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { outbox } from "../../mail/tables.ts";
import { auditEvents } from "../audit/tables.ts";
import {
  castVote, closeBallot, closeDueBallots, NOT_IN_ELECTORATE,
} from "../ballots/ballots.ts";
import {
  attachBriefResult, findBriefs, pickVolunteer, volunteerForBrief,
  writeBrief,
} from "./briefs.ts";
import {
  addComment, decideAmendment, hideComment, MAX_COMMENT_DEPTH,
  proposeAmendment,
} from "./debate.ts";
import { getDoctrinePage } from "./queries.ts";
import { doctrineTexts, doctrineVersions } from "./tables.ts";
import {
  findDoctrine, findVersions, openDebate, proposeDoctrine,
} from "./texts.ts";
import { openValidationBallot } from "./validation.ts";

const DAY = 86_400_000;
const later = (days: number) => toParisLocal(new Date(Date.now() + days * DAY));

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e) => e);
  expect(error).toBeInstanceOf(DomainError);

  return error as DomainError;
}

const BODY = "# Constat\n\nLes territoires coopèrent.\n\n"
  + "La transition demande du temps.\n\nLes communs se partagent.";

describe("doctrine", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  /** Staff, a proposer, two voters and a text in debate until tomorrow. */
  async function scene(options: { debate?: boolean; body?: string } = {}) {
    const db = t.database.db;
    const staff = await createPerson(db, { role: "staff" });
    const proposer = await createPerson(db, { fullName: "Awa Proposante" });
    const ally = await createPerson(db, { fullName: "Bruno Amendeur" });
    const document = await createDocumentRow(db, { title: "Constat commun",
      body: options.body ?? BODY });
    const staffCtx = t.ctx(actorOf(staff));
    const text = await proposeDoctrine(t.ctx(actorOf(proposer)), {
      documentId: document.id, reason: "Il fonde notre **action**." });
    if (options.debate !== false) {
      await openDebate(staffCtx, { textId: text.id, endsAt: later(7) });
    }

    return { staff, staffCtx, proposer, ally, document, text,
      proposerCtx: t.ctx(actorOf(proposer)), allyCtx: t.ctx(actorOf(ally)) };
  }

  /** Moves a text's debate end into the past, as time would. */
  async function endDebate(textId: string) {
    await t.database.db.update(doctrineTexts).set({
      debateOpenedAt: new Date(Date.now() - 3 * DAY),
      debateEndsAt: new Date(Date.now() - DAY) })
      .where(eq(doctrineTexts.id, textId));
  }

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

  it("opens the ballot of all allies only for staff, after the debate "
    + "and once every amendment is decided", async () => {
    const s = await scene();
    const input = { textId: s.text.id, closesAt: later(7),
      quorumKind: "count", quorumValue: "1", majority: "simple" };
    const pending = await proposeAmendment(s.allyCtx, { textId: s.text.id,
      passage: "Les communs se partagent.", replacement: "Les communs.",
      reason: "Plus court." });

    expect((await refusal(openValidationBallot(s.proposerCtx, input))).code)
      .toBe("forbidden");
    expect((await refusal(openValidationBallot(s.staffCtx, input))).message)
      .toContain("Le débat n'est pas terminé");
    await endDebate(s.text.id);
    expect((await refusal(openValidationBallot(s.staffCtx, input))).message)
      .toContain("Un amendement attend");
    await decideAmendment(s.staffCtx,
      { amendmentId: pending.id, decision: "reject" });
    expect((await refusal(openValidationBallot(s.staffCtx,
      { ...input, quorumValue: "100000" }))).fields)
      .toHaveProperty("quorumValue");
    expect((await refusal(openValidationBallot(s.staffCtx,
      { ...input, majority: "unanimité" }))).fields)
      .toHaveProperty("majority");

    const ballot = await openValidationBallot(s.staffCtx, input);
    expect(ballot).toMatchObject({ subjectKind: "doctrine",
      subjectId: s.text.id, electorateKind: "all_allies" });
  });

  it("lets allies vote, not staff nor visitors, and validates the text "
    + "when the ballot closes", async () => {
    const s = await scene();
    await endDebate(s.text.id);
    const ballot = await openValidationBallot(s.staffCtx, {
      textId: s.text.id, closesAt: later(7), quorumKind: "count",
      quorumValue: "2", majority: "simple" });

    expect((await refusal(castVote(s.staffCtx,
      { ballotId: ballot.id, choice: "for" }))).code).toBe("forbidden");
    expect((await refusal(castVote(t.ctx(visitor),
      { ballotId: ballot.id, choice: "for" }))).code)
      .toBe("unauthenticated");
    await castVote(s.allyCtx, { ballotId: ballot.id, choice: "for" });
    await castVote(s.proposerCtx, { ballotId: ballot.id, choice: "for" });
    expect((await refusal(closeBallot(s.allyCtx, ballot.id))).code)
      .toBe("forbidden");
    await closeBallot(s.staffCtx, ballot.id);

    const [text] = await t.database.db.select().from(doctrineTexts)
      .where(eq(doctrineTexts.id, s.text.id));
    expect(text).toMatchObject({ status: "validated", validatedVersion: 1 });
    expect((await findDoctrine(t.ctx(visitor))).map((e) => e.text.id))
      .toContain(s.text.id);
  });

  it("refuses the vote of an ally who joined after the ballot opened",
    async () => {
      const s = await scene();
      await endDebate(s.text.id);
      const ballot = await openValidationBallot(s.staffCtx, {
        textId: s.text.id, closesAt: later(7), quorumKind: "count",
        quorumValue: "1", majority: "simple" });
      const late = await createPerson(t.database.db);

      const error = await refusal(castVote(t.ctx(actorOf(late)),
        { ballotId: ballot.id, choice: "against" }));

      expect(error.code).toBe("forbidden");
      expect(error.message).toBe(NOT_IN_ELECTORATE);
      await castVote(s.allyCtx, { ballotId: ballot.id, choice: "for" });
      const closed = await closeBallot(s.staffCtx, ballot.id);
      expect(closed).toMatchObject({ votesCast: 1, outcome: "adopted",
        electorateSize: ballot.electorateSize });
    });

  it("marks a text rejected when the closing job finds no quorum",
    async () => {
      const s = await scene();
      await endDebate(s.text.id);
      const ballot = await openValidationBallot(s.staffCtx, {
        textId: s.text.id, closesAt: later(1), quorumKind: "count",
        quorumValue: "2", majority: "simple" });
      const job = systemCtx({ ...t.ctx(visitor),
        now: () => new Date(Date.now() + 2 * DAY) });

      await closeDueBallots(job);

      const [text] = await t.database.db.select().from(doctrineTexts)
        .where(eq(doctrineTexts.id, s.text.id));
      expect(text.status).toBe("rejected");
      expect(text.validatedVersion).toBeNull();
      expect(ballot.id).toBe(text.ballotId);
    });

  it("revises a validated text through a new round while its validated "
    + "version stays the doctrine", async () => {
    const s = await scene();
    await endDebate(s.text.id);
    const first = await openValidationBallot(s.staffCtx, {
      textId: s.text.id, closesAt: later(7), quorumKind: "count",
      quorumValue: "1", majority: "simple" });
    await castVote(s.allyCtx, { ballotId: first.id, choice: "for" });
    await closeBallot(s.staffCtx, first.id);

    const revised = await proposeDoctrine(s.allyCtx, {
      documentId: s.document.id, reason: "Les temps ont changé." });
    expect(revised).toMatchObject({ status: "proposed", round: 2,
      validatedVersion: 1, proposedBy: s.ally.id });
    await openDebate(s.staffCtx, { textId: s.text.id, endsAt: later(3) });
    const amendment = await proposeAmendment(s.proposerCtx, {
      textId: s.text.id, passage: "Les communs se partagent.",
      replacement: "Les communs se partagent et se gouvernent.",
      reason: "Gouvernance." });
    await decideAmendment(s.allyCtx,
      { amendmentId: amendment.id, decision: "accept" });
    await endDebate(s.text.id);
    const second = await openValidationBallot(s.staffCtx, {
      textId: s.text.id, closesAt: later(7), quorumKind: "count",
      quorumValue: "1", majority: "simple" });
    await castVote(s.proposerCtx, { ballotId: second.id, choice: "for" });
    await closeBallot(s.staffCtx, second.id);

    const [text] = await t.database.db.select().from(doctrineTexts)
      .where(eq(doctrineTexts.id, s.text.id));
    expect(text).toMatchObject({ status: "validated", validatedVersion: 2,
      round: 2 });
  });

  it("runs a brief: staff write it, allies volunteer once, staff pick one "
    + "and mail everyone, the result is attached", async () => {
    const s = await scene();
    await t.database.db.update(doctrineTexts).set({ status: "validated",
      validatedVersion: 1, validatedAt: new Date() })
      .where(eq(doctrineTexts.id, s.text.id));
    const input = { textId: s.text.id, audience: "Élu·es locaux",
      format: "Vidéo", themes: "énergie, coopération",
      deadline: "2030-06-30", description: "Trois minutes." };
    const org = await createOrganisationRow(t.database.db, {
      skills: ["Montage video", "Animation"],
      members: [{ personId: s.ally.id }] });
    void org;
    const other = await createPerson(t.database.db);
    await addMembership(t.database.db, other.id,
      (await createOrganisationRow(t.database.db,
        { skills: ["Comptabilité"] })).id);

    expect((await refusal(writeBrief(s.allyCtx, input))).code)
      .toBe("forbidden");
    expect((await refusal(writeBrief(s.staffCtx,
      { ...input, deadline: "bientôt" }))).fields).toHaveProperty("deadline");
    expect((await refusal(writeBrief(s.staffCtx,
      { ...input, deadline: "2027-02-31" }))).fields.deadline)
      .toContain("n'existe pas");
    expect((await refusal(writeBrief(s.staffCtx,
      { ...input, deadline: "2000-01-01" }))).fields.deadline)
      .toContain("passée");
    const brief = await writeBrief(s.staffCtx, input);
    await volunteerForBrief(s.allyCtx, { briefId: brief.id,
      message: "Je monte des vidéos." });
    await volunteerForBrief(t.ctx(actorOf(other)), { briefId: brief.id,
      message: "Je peux aider." });
    expect((await refusal(volunteerForBrief(s.allyCtx, { briefId: brief.id,
      message: "Encore moi." }))).code).toBe("conflict");
    expect((await refusal(volunteerForBrief(s.staffCtx, { briefId: brief.id,
      message: "Moi ?" }))).code).toBe("forbidden");

    const [view] = await findBriefs(s.staffCtx, s.text.id);
    expect(view.volunteers.map((v) => [v.fullName, v.matches])).toEqual([
      ["Bruno Amendeur", true], [other.fullName, false]]);
    expect((await findBriefs(s.allyCtx, s.text.id))[0].volunteers)
      .toEqual([]);

    expect((await refusal(pickVolunteer(s.allyCtx,
      { briefId: brief.id, personId: s.ally.id }))).code).toBe("forbidden");
    await pickVolunteer(s.staffCtx, { briefId: brief.id,
      personId: s.ally.id });
    expect((await refusal(attachBriefResult(t.ctx(actorOf(other)), {
      briefId: brief.id, url: "https://example.org/v", description: "V" })))
      .code).toBe("forbidden");
    expect((await refusal(attachBriefResult(s.allyCtx, {
      briefId: brief.id, url: "javascript:alert(1)", description: "V" })))
      .fields).toHaveProperty("url");
    for (const file of ["../../../etc/passwd", "javascript:alert(1)",
      "/fonds/documents/inconnu"]) {
      expect((await refusal(attachBriefResult(s.allyCtx, {
        briefId: brief.id, file, description: "V" }))).fields)
        .toHaveProperty("file");
    }
    const done = await attachBriefResult(s.allyCtx, { briefId: brief.id,
      url: "https://example.org/video", description: "La vidéo." });
    expect(done.status).toBe("delivered");
    const redone = await attachBriefResult(s.allyCtx, { briefId: brief.id,
      file: s.document.slug, description: "La vidéo, montée à nouveau." });
    expect(redone).toMatchObject({ resultUrl: null,
      resultFile: `/fonds/documents/${s.document.slug}` });
    const [replaced] = await t.database.db.select().from(auditEvents)
      .where(and(eq(auditEvents.subjectId, brief.id),
        eq(auditEvents.action, "doctrine.brief_result_replaced")));
    expect(replaced.details.previous).toMatchObject({
      url: "https://example.org/video", description: "La vidéo." });

    const smtp = await startSmtpServer();
    try {
      await drainOutbox(t.database.db, smtpTransport({ ...t.config,
        smtpUrl: smtp.url }), pino({ level: "silent" }));
      const subjects = (to: string) => smtp.messages
        .filter((m) => m.to.includes(to)).map((m) => m.subject);
      expect(subjects(s.ally.email!))
        .toContain("Vous réalisez l'adaptation de « Constat commun »");
      expect(subjects(other.email!)).toContain(
        "Adaptation de « Constat commun » : merci de votre proposition");
    } finally {
      await smtp.close();
    }
  });
});
