import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, addMembership, createOrganisation, createPerson,
  initiativeInput,
} from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { people } from "../accounts/tables.ts";
import { createInitiative } from "./create-initiative.ts";
import type { InitiativeInput } from "./initiative-input.ts";
import { publishInitiative } from "./publication.ts";
import { decidePooling } from "./pooling-decisions.ts";
import { findPoolingSuggestions } from "./pooling-suggestions.ts";

type Person = Awaited<ReturnType<typeof createPerson>>;

describe("pooling opportunities", () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let carrier: Person;
  let coCarrier: Person;
  let outsider: Person;
  let staff: Person;
  let otherCarrier: Person;
  const ids: Record<string, string> = {};
  const slugs: Record<string, string> = {};
  const orgIds: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ smtpUrl: smtp.url });
    const db = t.database.db;
    staff = await createPerson(db, { role: "staff" });
    carrier = await createPerson(db, { fullName: "Claire Porteuse",
      email: "claire@example.org" });
    coCarrier = await createPerson(db);
    outsider = await createPerson(db);
    otherCarrier = await createPerson(db, { email: "bruno@example.org" });
    const mine = await createOrganisation(db, { name: "Structure A" });
    const theirs = await createOrganisation(db, { name: "Structure B" });
    await addMembership(db, carrier.id, mine.id);
    await addMembership(db, coCarrier.id, mine.id);
    await addMembership(db, otherCarrier.id, theirs.id);
    orgIds.skills = (await createOrganisation(db, {
      name: "Facilitateurs associés", skills: ["facilitation de réunions"],
      email: "contact@facilitateurs.example" })).id;
    orgIds.near = (await createOrganisation(db, { name: "Énergie Lens",
      themes: ["énergie"], territoryIds: ["commune-62498"] })).id;
    await createOrganisation(db, { name: "Sans rapport",
      themes: ["culture"], skills: ["comptabilité"] });
    // Suggested, but keeps its address for staff; one member shows theirs
    // to allies, the other to staff only.
    const shown = await createPerson(db, { fullName: "Mona Visible",
      email: "mona@discrets.example" });
    const kept = await createPerson(db, { fullName: "Hugo Discret",
      email: "hugo@discrets.example" });
    await db.update(people).set({ emailVisibility: "staff" })
      .where(eq(people.id, kept.id));
    orgIds.discreet = (await createOrganisation(db, {
      name: "Formateurs discrets", themes: ["énergie", "sobriété"],
      email: "secret@discrets.example", emailVisibility: "staff",
      members: [{ personId: shown.id }, { personId: kept.id }],
    } as never)).id;
    // Never suggested to initiative A: nothing in common.
    const stranger = await createPerson(db, {
      email: "membre@cachee.example" });
    orgIds.unrelated = (await createOrganisation(db, {
      name: "Structure cachée", themes: ["culture"],
      email: "adresse@cachee.example", emailVisibility: "staff",
      members: [{ personId: stranger.id }],
    } as never)).id;

    const add = async (key: string, org: string, i: Partial<InitiativeInput>,
      publish = true) => {
      const created = await createInitiative(t.ctx(actorOf(staff)),
        initiativeInput([org], { offers: [], needs: [], themes: "",
          territories: "", title: `Initiative ${key}`, ...i }));
      if (publish) await publishInitiative(t.ctx(actorOf(staff)), created.id);
      ids[key] = created.id;
      slugs[key] = created.slug;
    };
    await add("A", mine.id, { territories: "commune-62528",
      themes: "énergie, sobriété, coopération",
      needs: [{ kind: "training",
        text: "formation à la facilitation de réunions" }],
      offers: [{ kind: "method", text: "méthode d'audit énergétique partagé" }],
    });
    await add("B", theirs.id, { territories: "commune-75056",
      themes: "alimentation", offers: [{ kind: "training",
        text: "formation facilitation des réunions participatives" }] });
    await add("C", theirs.id, { territories: "commune-75056",
      needs: [{ kind: "method", text: "méthode d'audit énergétique" }] });
    await add("D", theirs.id, { territories: "commune-62498",
      themes: "énergie" });
    await add("E", theirs.id, { territories: "commune-62041",
      themes: "énergie" });
    await add("F", theirs.id, { territories: "commune-75056",
      themes: "coopération, énergie, sobriété" });
    await add("G", theirs.id, { offers: [{ kind: "training",
      text: "formation comptabilité publique" }] });
    await add("H", theirs.id, { offers: [{ kind: "training",
      text: "formation facilitation de réunions" }] }, false);
    await add("A2", mine.id, { themes: "énergie" });
    await add("draft", mine.id, { themes: "énergie, sobriété" }, false);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const names = (list: { name: string }[]) => list.map((s) => s.name);

  it("ranks offers meeting needs first, then neighbours by closeness", async () => {
    const list = await findPoolingSuggestions(t.ctx(actorOf(carrier)), ids.A);
    const order = names(list);

    expect(order.slice(0, 2).sort()).toEqual(["Initiative B", "Initiative C"]);
    expect(order.indexOf("Initiative D"))
      .toBeLessThan(order.indexOf("Initiative E"));
    for (const absent of ["Initiative G", "Initiative H", "Initiative A2",
      "Sans rapport", "Structure A"]) {
      expect(order).not.toContain(absent);
    }
  });

  it("spells out each reason in French", async () => {
    const list = await findPoolingSuggestions(t.ctx(actorOf(carrier)), ids.A,
      { limit: 20 });
    const reasons = Object.fromEntries(list.map((s) => [s.name, s.reasons]));

    expect(reasons["Initiative B"]).toEqual(["propose une formation dont cette "
      + "initiative a besoin : « formation facilitation des réunions "
      + "participatives »"]);
    expect(reasons["Initiative C"]).toEqual(["cherche une méthode que cette "
      + "initiative propose : « méthode d'audit énergétique »"]);
    expect(reasons["Initiative D"]).toEqual([
      "travaille sur le même thème dans un territoire voisin (même EPCI)",
      "partage 1 thème : énergie"]);
    expect(reasons["Initiative E"]).toEqual([
      "travaille sur le même thème dans un territoire voisin (même département)",
      "partage 1 thème : énergie"]);
    expect(reasons["Initiative F"]).toEqual(
      ["partage 3 thèmes : coopération, énergie, sobriété"]);
    expect(reasons["Facilitateurs associés"]).toEqual(["ses compétences "
      + "répondent à un besoin de cette initiative (une formation) : "
      + "« formation à la facilitation de réunions »"]);
    expect(reasons["Énergie Lens"]).toEqual([
      "travaille sur le même thème dans un territoire voisin (même EPCI)",
      "partage 1 thème : énergie"]);
  });

  it("tells the other side by e-mail on « let's talk », and both see the contact", async () => {
    const client = await t.client().signIn(carrier.id);
    const page = await client.get(`/initiatives/${slugs.A}/mutualisation`);
    expect(page.body).toContain("Initiative B");

    const response = await client.post(`/initiatives/${slugs.A}/mutualisation`,
      { targetKind: "initiative", targetId: ids.B, decision: "talk" });
    expect(response.statusCode).toBe(303);
    await drainOutbox(t.database.db, smtpTransport(t.config),
      pino({ level: "silent" }));

    const mail = smtp.messages.find((m) =>
      m.subject === "Opportunité de mutualisation : Initiative A");
    expect(mail?.to).toEqual(["bruno@example.org"]);
    expect(mail?.text).toContain("Claire Porteuse (claire@example.org)");
    expect(mail?.text).toContain("propose une formation dont cette initiative");
    const theirs = await (await t.client().signIn(otherCarrier.id))
      .get("/mes-initiatives");
    expect(theirs.body).toContain("claire@example.org");
    const ours = await client.get("/mes-initiatives");
    expect(ours.body).toContain("Initiative B");
    const after = await client.get(`/initiatives/${slugs.A}/mutualisation`);
    expect(after.body).toContain("Échange engagé le");
  });

  it("opens one exchange per suggestion, even asked twice", async () => {
    await expect(decidePooling(t.ctx(actorOf(coCarrier)), {
      initiativeId: ids.A, targetKind: "initiative", targetId: ids.B,
      decision: "talk" })).rejects.toMatchObject({ code: "conflict" });
  });

  it("writes to an organisation and its members", async () => {
    await decidePooling(t.ctx(actorOf(carrier)), { initiativeId: ids.A,
      targetKind: "organisation", targetId: orgIds.skills, decision: "talk" });
    await drainOutbox(t.database.db, smtpTransport(t.config),
      pino({ level: "silent" }));

    expect(smtp.messages.some((m) =>
      m.to.includes("contact@facilitateurs.example"))).toBe(true);
  });

  it("refuses decisions from someone who does not carry the initiative", async () => {
    await expect(decidePooling(t.ctx(actorOf(outsider)), {
      initiativeId: ids.A, targetKind: "initiative", targetId: ids.C,
      decision: "talk" })).rejects.toMatchObject({ code: "forbidden" });
    const client = await t.client().signIn(outsider.id);
    await client.get(`/initiatives/${slugs.A}/mutualisation`);
    const response = await client.post(`/initiatives/${slugs.A}/mutualisation`,
      { targetKind: "initiative", targetId: ids.C, decision: "not_relevant" });
    expect(response.statusCode).toBe(403);
  });

  it("refuses a suggestion that does not exist", async () => {
    await expect(decidePooling(t.ctx(actorOf(carrier)), {
      initiativeId: ids.A, targetKind: "initiative", targetId: ids.H,
      decision: "talk" })).rejects.toMatchObject({ code: "not_found" });
  });

  const sentTo = async (...addresses: string[]) => {
    await drainOutbox(t.database.db, smtpTransport(t.config),
      pino({ level: "silent" }));

    return smtp.messages.filter((m) =>
      m.to.some((to) => addresses.includes(to)));
  };

  it("opens no exchange in the name of a draft", async () => {
    const client = await t.client().signIn(carrier.id);
    const page = await client.get(`/initiatives/${slugs.draft}/mutualisation`);
    expect(page.body).toContain("Formateurs discrets");
    expect(page.body).not.toContain("Échangeons");

    for (const targetId of [orgIds.unrelated, orgIds.discreet]) {
      const response = await client.post(
        `/initiatives/${slugs.draft}/mutualisation`,
        { targetKind: "organisation", targetId, decision: "talk" });
      expect(response.statusCode).toBe(409);
      expect(response.body).toContain("une fois l'initiative publiée");
    }
    expect(await sentTo("adresse@cachee.example", "membre@cachee.example",
      "secret@discrets.example")).toEqual([]);
    expect((await client.get("/mes-initiatives")).body)
      .not.toContain("cachee.example");
  });

  it("decides only on a suggestion shown to the carrier", async () => {
    const client = await t.client().signIn(carrier.id);
    await client.get(`/initiatives/${slugs.A}/mutualisation`);
    const forged = [
      { targetKind: "organisation", targetId: orgIds.unrelated },
      { targetKind: "initiative", targetId: orgIds.skills },
      { targetKind: "organisation", targetId: ids.B },
      { targetKind: "initiative", targetId: ids.A2 },
      { targetKind: "organisation", targetId: "pas-un-identifiant" },
    ];
    for (const target of forged) {
      for (const decision of ["talk", "not_relevant"]) {
        const response = await client.post(
          `/initiatives/${slugs.A}/mutualisation`, { ...target, decision });
        expect(response.statusCode, `${decision} ${target.targetId}`)
          .toBe(404);
        expect(response.body).toContain("Cette suggestion n'existe plus.");
      }
    }
    const draftForged = await client.post(
      `/initiatives/${slugs.draft}/mutualisation`, { targetKind:
        "organisation", targetId: orgIds.unrelated, decision: "not_relevant" });
    expect(draftForged.statusCode).toBe(404);

    expect(await sentTo("adresse@cachee.example", "membre@cachee.example"))
      .toEqual([]);
    const [{ count }] = (await t.database.db.execute(
      `select count(*)::int as count from pooling_decisions
        where target_organisation_id = '${orgIds.unrelated}'`) as any).rows;
    expect(count).toBe(0);
  });

  it("hides a suggestion of a draft from its carrier", async () => {
    const client = await t.client().signIn(carrier.id);
    await client.get(`/initiatives/${slugs.draft}/mutualisation`);
    const response = await client.post(
      `/initiatives/${slugs.draft}/mutualisation`, { targetKind:
        "organisation", targetId: orgIds.discreet, decision: "not_relevant" });

    expect(response.statusCode).toBe(303);
    expect(names(await findPoolingSuggestions(t.ctx(actorOf(carrier)),
      ids.draft))).not.toContain("Formateurs discrets");
  });

  it("never shows an ally a contact kept for staff", async () => {
    await decidePooling(t.ctx(actorOf(carrier)), { initiativeId: ids.A,
      targetKind: "organisation", targetId: orgIds.discreet,
      decision: "talk" });
    // Atelier writes to the organisation; it does not hand out its address.
    expect(await sentTo("secret@discrets.example")).toHaveLength(1);

    const ours = (await (await t.client().signIn(carrier.id))
      .get("/mes-initiatives")).body;
    expect(ours).toContain("Formateurs discrets");
    expect(ours).not.toContain("secret@discrets.example");
    expect(ours).not.toContain("hugo@discrets.example");
    expect(ours).toContain("Mona Visible &lt;mona@discrets.example>");
    const staffPage = (await (await t.client().signIn(staff.id))
      .get("/admin/mutualisations")).body;
    expect(staffPage).toContain("secret@discrets.example");
  });

  it("hides a suggestion marked not relevant, for that person only", async () => {
    await decidePooling(t.ctx(actorOf(carrier)), { initiativeId: ids.A,
      targetKind: "initiative", targetId: ids.D, decision: "not_relevant" });
    await decidePooling(t.ctx(actorOf(carrier)), { initiativeId: ids.A,
      targetKind: "initiative", targetId: ids.D, decision: "not_relevant" });

    expect(names(await findPoolingSuggestions(t.ctx(actorOf(carrier)), ids.A,
      { limit: 20 }))).not.toContain("Initiative D");
    expect(names(await findPoolingSuggestions(t.ctx(actorOf(coCarrier)),
      ids.A, { limit: 20 }))).toContain("Initiative D");
  });

  it("lists the opened exchanges for staff only", async () => {
    const denied = await (await t.client().signIn(carrier.id))
      .get("/admin/mutualisations");
    const page = await (await t.client().signIn(staff.id))
      .get("/admin/mutualisations");

    expect(denied.statusCode).toBe(403);
    expect(page.body).toContain("Initiative B");
    expect(page.body).toContain("Facilitateurs associés");
    expect(page.body).toContain("claire@example.org");
  });

  it("serves the suggestions of a published initiative in the API", async () => {
    const response = await t.app.inject(`/api/initiatives/${ids.A}/suggestions`);

    expect(response.statusCode).toBe(200);
    expect(response.json().items[0].reasons[0]).toMatch(/^(propose|cherche)/);
  });
});
