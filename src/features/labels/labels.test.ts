import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import pino from "pino";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, createInitiative, createPerson,
} from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import { DomainError } from "../../domain/errors.ts";
import { toParisLocal } from "../../domain/time.ts";
import { outbox } from "../../mail/tables.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { auditEvents } from "../audit/tables.ts";
import { castVote, closeBallot } from "../ballots/ballots.ts";
import { ballots } from "../ballots/tables.ts";
import { createCollective } from "./collectives.ts";
import { addDecisionReasons, withdrawLabel } from "./decisions.ts";
import { createLabel } from "./labels.ts";
import { proposeInitiative } from "./proposals.ts";
import {
  findInitiativeIdsWithLabel, findLabelsOfInitiative,
  findLabelsOfOrganisation, findRegister,
} from "./register.ts";
import { labelGrants, labelProposals } from "./tables.ts";
import { dayFromNow, proposeScene, setUpLabelling } from "./test-fixtures.ts";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e) => e);
  expect(error).toBeInstanceOf(DomainError);

  return error as DomainError;
}

describe("labels", () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    t = await createTestApp();
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it("lets only staff configure a label, name a collective or propose",
    async () => {
      const scene = await setUpLabelling(t);
      const ally = t.ctx(actorOf(scene.voters[0]));

      expect((await refusal(createLabel(ally, { name: "X",
        criteria: "a" }))).code).toBe("forbidden");
      expect((await refusal(createCollective(ally, { name: "C",
        startsOn: dayFromNow(0), endsOn: dayFromNow(9), quorumKind: "share",
        quorumValue: "50", majority: "simple",
        memberEmails: scene.voters[0].email! }))).code).toBe("forbidden");
      expect((await refusal(proposeInitiative(ally, {
        labelId: scene.label.id, initiativeId: scene.initiative.id,
        collectiveId: scene.collective.id, closesAt: "2099-01-01T10:00",
        readings: ["a", "b"] }))).code).toBe("forbidden");
    });

  it("refuses a collective with no member, in French", async () => {
    const scene = await setUpLabelling(t);

    const error = await refusal(createCollective(scene.staffCtx, {
      name: "Vide", startsOn: dayFromNow(0), endsOn: dayFromNow(30),
      quorumKind: "share", quorumValue: "50", majority: "simple",
      memberEmails: "" }));

    expect(error.code).toBe("invalid");
    expect(error.fields).toEqual({
      memberEmails: "Un collectif compte au moins un membre." });
  });

  it("refuses a quorum above the collective's size", async () => {
    const scene = await setUpLabelling(t);

    const error = await refusal(createCollective(scene.staffCtx, {
      name: "Petit", startsOn: dayFromNow(0), endsOn: dayFromNow(30),
      quorumKind: "count", quorumValue: "5", majority: "two_thirds",
      memberEmails: scene.voters.map((v) => v.email).join("\n") }));

    expect(error.fields.quorumValue)
      .toBe("Le quorum (5 membres) dépasse la taille du collectif "
        + "(3 membres).");
  });

  it("refuses to open a ballot when no member is in office", async () => {
    const scene = await setUpLabelling(t);
    const later = await createCollective(scene.staffCtx, {
      name: "L'an prochain", startsOn: dayFromNow(400),
      endsOn: dayFromNow(700), quorumKind: "share", quorumValue: "50",
      majority: "simple", memberEmails: scene.voters[0].email! });

    const error = await refusal(proposeInitiative(scene.staffCtx, {
      labelId: scene.label.id, initiativeId: scene.initiative.id,
      collectiveId: later.id,
      closesAt: toParisLocal(new Date(Date.now() + 86_400_000)),
      readings: ["a", "b"] }));

    expect(error.message).toContain("aucun membre en fonction");
    const [n] = await t.database.db.select({ n: count() }).from(ballots)
      .where(eq(ballots.electorateId, later.id));
    expect(n.n).toBe(0);
  });

  it("refuses a proposal without a reading for every criterion, or of an "
    + "unpublished initiative", async () => {
    const scene = await setUpLabelling(t);
    const draft = await createInitiative(t.database.db, { status: "draft" });

    const error = await refusal(proposeInitiative(scene.staffCtx, {
      labelId: scene.label.id, initiativeId: draft.id,
      collectiveId: scene.collective.id, closesAt: "hier",
      readings: ["Lu.", " "] }));

    expect(Object.keys(error.fields).sort())
      .toEqual(["closesAt", "initiativeId", "reading1"]);
  });

  it("refuses a second proposal while a ballot is under way", async () => {
    const scene = await setUpLabelling(t);
    await proposeScene(t, scene);

    const error = await refusal(proposeScene(t, scene));

    expect(error.message).toContain("déjà proposée");
  });

  it("tells the carriers by e-mail when their initiative is proposed",
    async () => {
      const scene = await setUpLabelling(t);
      await proposeScene(t, scene);

      await drainOutbox(t.database.db,
        smtpTransport({ ...t.config, smtpUrl: smtp.url }),
        pino({ level: "silent" }));

      const mail = smtp.messages.find((m) =>
        m.to.includes(scene.carrier.email!.toLowerCase()));
      expect(mail?.subject).toBe(
        `Votre initiative est proposée au label « ${scene.label.name} »`);
      expect(mail?.text).toContain(scene.initiative.title);
      const ballotMail = smtp.messages.find((m) =>
        m.to.includes(scene.voters[0].email!.toLowerCase()));
      expect(ballotMail?.subject).toContain("Scrutin ouvert");
    });

  it("grants the label when adopted, shows it, and withdraws it with a "
    + "reason while keeping the history", async () => {
      const scene = await setUpLabelling(t);
      const proposal = await proposeScene(t, scene);
      for (const v of scene.voters.slice(0, 2)) {
        await castVote(t.ctx(actorOf(v)),
          { ballotId: proposal.ballotId, choice: "for" });
      }
      await closeBallot(scene.staffCtx, proposal.ballotId);
      const ctx = t.ctx(actorOf(scene.voters[2]));

      expect((await findLabelsOfInitiative(ctx, scene.initiative.id))
        .map((l) => l.labelName)).toEqual([scene.label.name]);
      expect((await findLabelsOfOrganisation(ctx, scene.organisation.id))
        .map((l) => l.initiativeTitle)).toEqual([scene.initiative.title]);
      expect(await findInitiativeIdsWithLabel(t.database.db, scene.label.id))
        .toEqual([scene.initiative.id]);

      await addDecisionReasons(scene.staffCtx, { proposalId: proposal.id,
        reasons: "Répond aux quatre objectifs." });
      const [grant] = await t.database.db.select().from(labelGrants)
        .where(eq(labelGrants.proposalId, proposal.id));
      expect((await refusal(withdrawLabel(ctx, { grantId: grant.id,
        reason: "x" }))).code).toBe("forbidden");
      expect((await refusal(withdrawLabel(scene.staffCtx, { grantId: grant.id,
        reason: "  " }))).fields).toHaveProperty("reason");
      await withdrawLabel(scene.staffCtx, { grantId: grant.id,
        reason: "L'initiative a changé de nature." });

      expect(await findLabelsOfInitiative(ctx, scene.initiative.id))
        .toEqual([]);
      const register = await findRegister(ctx,
        { labelSlug: scene.label.slug });
      expect(register).toHaveLength(1);
      expect(register[0]).toMatchObject({
        withdrawalReason: "L'initiative a changé de nature.",
        reasons: "Répond aux quatre objectifs." });
      const steps = await t.database.db.select({ action: auditEvents.action })
        .from(auditEvents);
      expect(steps.map((s) => s.action)).toEqual(expect.arrayContaining([
        "label.proposed", "ballot.vote_cast", "ballot.closed",
        "label.decided", "label.reasons_added", "label.withdrawn"]));
      const mails = await t.database.db.select({ subject: outbox.subject })
        .from(outbox).where(eq(outbox.recipient,
          scene.carrier.email!.toLowerCase()));
      expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining([
        `Label « ${scene.label.name} » attribué à « ${scene.initiative.title} »`,
        `Retrait du label « ${scene.label.name} »`]));
    });

  it("refuses the label when the quorum is not reached", async () => {
    const scene = await setUpLabelling(t, { members: 4 });
    const proposal = await proposeScene(t, scene);
    await castVote(t.ctx(actorOf(scene.voters[0])),
      { ballotId: proposal.ballotId, choice: "for" });

    const closed = await closeBallot(scene.staffCtx, proposal.ballotId);

    expect(closed.outcome).toBe("no_quorum");
    const [row] = await t.database.db.select().from(labelProposals)
      .where(eq(labelProposals.id, proposal.id));
    expect(row.status).toBe("refused");
  });

  it("refuses reasons from an ally and before the closing", async () => {
    const scene = await setUpLabelling(t);
    const proposal = await proposeScene(t, scene);
    const outsider = await createPerson(t.database.db);

    expect((await refusal(addDecisionReasons(t.ctx(actorOf(outsider)),
      { proposalId: proposal.id, reasons: "r" }))).code).toBe("forbidden");
    expect((await refusal(addDecisionReasons(scene.staffCtx,
      { proposalId: proposal.id, reasons: "r" }))).code).toBe("conflict");
  });
});
