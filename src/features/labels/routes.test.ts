import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { toParisLocal } from "../../domain/time.ts";
import { dayFromNow, setUpLabelling } from "./test-fixtures.ts";

describe("labelling pages", () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof setUpLabelling>>;
  beforeAll(async () => {
    t = await createTestApp();
    scene = await setUpLabelling(t);
  });
  afterAll(async () => { await t.close(); });

  it("refuses the staff pages and forms to an ally", async () => {
    const ally = await t.client().signIn(scene.voters[0].id);
    for (const url of ["/admin/labels", "/admin/collectifs",
      "/admin/propositions", "/admin/journal", "/admin/journal.csv"]) {
      expect((await ally.get(url)).statusCode, url).toBe(403);
    }
    await ally.get("/labels");
    expect((await ally.post("/admin/labels",
      { name: "Pirate", criteria: "x" })).statusCode).toBe(403);
    expect((await t.client().get("/mes-scrutins")).statusCode).toBe(303);
  });

  it("keeps what staff typed when a collective is refused", async () => {
    const staff = await t.client().signIn(scene.staff.id);
    await staff.get("/admin/collectifs");

    const response = await staff.post("/admin/collectifs", {
      name: "Collectif 2027", startsOn: dayFromNow(0), endsOn: dayFromNow(90),
      quorumKind: "count", quorumValue: "9", majority: "simple",
      memberEmails: scene.voters[0].email! });

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Le quorum (9 membres) dépasse");
    expect(response.body).toContain('value="Collectif 2027"');
  });

  it("runs a labelling from proposal to public register", async () => {
    const staff = await t.client().signIn(scene.staff.id);
    const page = await staff.get(
      `/admin/propositions/nouvelle?label=${scene.label.id}`);
    expect(page.body).toContain("Objectif 2");

    const proposed = await staff.post("/admin/propositions", {
      labelId: scene.label.id, initiativeId: scene.initiative.id,
      collectiveId: scene.collective.id,
      closesAt: toParisLocal(new Date(Date.now() + 86_400_000)),
      reading0: "Oui.", reading1: "Oui aussi." });
    expect(proposed.statusCode).toBe(303);
    const proposalUrl = proposed.headers.location as string;
    const detail = await staff.get(proposalUrl);
    const ballotUrl = /href="(\/scrutins\/[^"]+)"/.exec(detail.body)![1];

    const member = await t.client().signIn(scene.voters[0].id);
    expect((await member.get("/mes-scrutins")).body).toContain(ballotUrl);
    await member.get(ballotUrl);
    expect((await member.post(`${ballotUrl}/vote`, { choice: "nul" }))
      .statusCode).toBe(400);
    await member.post(`${ballotUrl}/vote`, { choice: "against" });
    const changed = await member.post(`${ballotUrl}/vote`,
      { choice: "for", comment: "Après relecture." });
    expect(changed.statusCode).toBe(303);
    const mine = await member.get(ballotUrl);
    expect(mine.body).toContain("Votre vote actuel : <strong>Pour</strong>");
    expect(mine.body).not.toContain("Décompte");
    const second = await t.client().signIn(scene.voters[1].id);
    await second.get(ballotUrl);
    await second.post(`${ballotUrl}/vote`, { choice: "for" });

    await staff.get(proposalUrl);
    expect((await staff.post(`${proposalUrl}/cloture`)).statusCode).toBe(303);
    const result = await member.get(ballotUrl);
    expect(result.body).toContain("Résultat : adopté");
    expect(result.body).toContain("Après relecture.");
    const late = await member.post(`${ballotUrl}/vote`, { choice: "against" });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain("Le scrutin est clos");

    const register = await t.client().get("/labels");
    expect(register.body).toContain(scene.initiative.title);
    const feed = await t.client().get("/labels/flux.xml");
    expect(feed.headers["content-type"]).toContain("rss");
    expect(feed.body).toContain(scene.initiative.title);
    const api = await t.app.inject("/api/labels");
    expect(api.json()[0]).toMatchObject({
      label: { name: scene.label.name },
      initiative: { title: scene.initiative.title }, withdrawnAt: null });
    const openapi = (await t.app.inject("/api/openapi.json")).json();
    expect(openapi.paths["/api/labels"].get.tags).toEqual(["labels"]);
  });

  it("exports the audit trail as a CSV file for French Excel", async () => {
    const staff = await t.client().signIn(scene.staff.id);
    expect((await staff.get("/admin/journal")).body)
      .toContain("Initiative proposée");

    const csv = await staff.get("/admin/journal.csv?action=label.proposed");

    expect(csv.body.startsWith("\uFEFFdate;heure;acteur;action;")).toBe(true);
    expect(csv.body).toContain(";label.proposed;");
    expect(csv.body).not.toContain("ballot.vote_cast");
  });

  it("shows the staff pages to staff", async () => {
    const staff = await t.client().signIn(scene.staff.id);
    for (const url of ["/admin/labels", `/admin/labels/${scene.label.id}`,
      "/admin/collectifs", "/admin/propositions"]) {
      expect((await staff.get(url)).statusCode, url).toBe(200);
    }
  });
});
