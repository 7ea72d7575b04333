import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, addMembership, createOrganisationRow, createPerson, visitor,
} from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import { systemCtx } from "../../domain/context.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { auditEvents } from "../audit/tables.ts";
import {
  castVote, closeBallot, closeDueBallots, NOT_IN_ELECTORATE,
} from "../ballots/ballots.ts";
import {
  attachBriefResult, findBriefs, pickVolunteer, volunteerForBrief, writeBrief,
} from "./briefs.ts";
import { decideAmendment, proposeAmendment } from "./debate.ts";
import { doctrineTexts } from "./tables.ts";
import { findDoctrine, openDebate, proposeDoctrine } from "./texts.ts";
import { openValidationBallot } from "./validation.ts";
import {
  DAY, doctrineScene, endDebate as endTextDebate, later, refusal,
} from "./test-scene.ts";

describe("doctrine: validation, revisions and briefs", () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  const scene = (options?: { debate?: boolean; body?: string }) =>
    doctrineScene(t, options);
  const endDebate = (textId: string) => endTextDebate(t, textId);

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
