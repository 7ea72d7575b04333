import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import ICAL from "ical.js";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson } from "../../../test/factories.ts";
import type { Ctx } from "../../domain/context.ts";
import { people, sessions } from "../accounts/tables.ts";
import { createOrganisation, createTestEvent } from "./fixtures.ts";
import { registerForOccurrence } from "./registrations.ts";
import { attendances, events, registrations } from "./tables.ts";

type Person = Awaited<ReturnType<typeof createPerson>>;

/** VEVENTs of a calendar file, read back with ical.js. */
function readCalendar(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }

  return root.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
}

describe("agenda pages, feeds and API", () => {
  let t: TestApp;
  let staffPerson: Person;
  let staff: Ctx;
  let ally: Person;
  // 1 March 2030: the test events lie ahead.
  let clock = new Date("2030-03-01T09:00:00Z");
  let publicSlug: string;
  let privateSlug: string;
  let permanenceSlug: string;
  let permanenceDates: { id: string }[];
  // Sessions open on the real clock; the app stands in 2030.
  const signedIn = async (person: Person) => {
    const client = await t.client().signIn(person.id);
    await t.database.db.update(sessions)
      .set({ expiresAt: new Date("2100-01-01T00:00:00Z") });

    return client;
  };
  beforeAll(async () => {
    t = await createTestApp({}, () => clock);
    staffPerson = await createPerson(t.database.db, { role: "staff" });
    staff = t.ctx(actorOf(staffPerson));
    ally = await createPerson(t.database.db, { fullName: "Alice Allée" });
    const host = await createOrganisation(t.database.db,
      { name: "Base 11/19" });
    const open = await createTestEvent(staff, {
      title: "Rendez-vous à Loos", kind: "meetup", capacity: "2",
      start: "2030-03-20T17:30", end: "2030-03-20T19:00",
      description: "Visite **guidée** <script>alert(1)</script>",
      videoUrl: "https://visio.example.org/secret-loos",
      hostOrganisationId: host.id });
    publicSlug = open.event.slug;
    privateSlug = (await createTestEvent(staff, { title: "Réunion interne",
      kind: "other", visibility: "allies", start: "2030-03-21T10:00",
      end: "2030-03-21T11:00" })).event.slug;
    const permanence = await createTestEvent(staff, { title: "Permanence",
      kind: "office_hours", start: "2030-03-05T10:00",
      end: "2030-03-05T11:30", rrule: "FREQ=MONTHLY;BYDAY=1TU;COUNT=3",
      videoUrl: "https://visio.example.org/permanence" });
    permanenceSlug = permanence.event.slug;
    permanenceDates = permanence.occurrences;
    await createTestEvent(staff, { title: "Assemblée", kind: "assembly",
      allDay: "on", start: "2030-12-14", end: "2030-12-15" });
  });
  afterAll(async () => { await t.close(); });

  it("lists upcoming dates for visitors, without allies-only events", async () => {
    const response = await t.client().get("/agenda");

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("Rendez-vous à Loos");
    expect(response.body).toContain("2 places restantes");
    expect(response.body).toContain('href="/agenda?periode=passe"');
    expect(response.body).not.toContain("Réunion interne");
    expect((await t.client().get(`/agenda/${privateSlug}`)).statusCode)
      .toBe(404);
  });

  it("shows allies-only events to signed-in allies and filters by kind", async () => {
    const client = await signedIn(ally);
    const all = await client.get("/agenda");
    const meetups = await client.get("/agenda?kind=meetup");

    expect(all.body).toContain("Réunion interne");
    expect(meetups.body).toContain("Rendez-vous à Loos");
    expect(meetups.body).not.toContain(`href="/agenda/${permanenceSlug}"`);
  });

  it("shows an event page in Paris time with sanitised Markdown and host", async () => {
    const response = await t.client().get(`/agenda/${publicSlug}`);

    expect(response.body).toContain("mercredi 20 mars 2030 à 17:30");
    expect(response.body).toContain("<strong>guidée</strong>");
    expect(response.body).not.toContain("<script>alert");
    expect(response.body).toContain("Accueilli par Base 11/19");
    expect(response.body).not.toContain("secret-loos");
  });

  it("registers through the page and then shows the video link", async () => {
    const client = await signedIn(ally);
    const page = await client.get(`/agenda/${publicSlug}`);
    const id = /\/agenda\/dates\/([0-9a-f-]+)\/inscription/.exec(page.body)![1];

    const posted = await client.post(`/agenda/dates/${id}/inscription`,
      { suite: `/agenda/${publicSlug}` });
    const after = await client.get(`/agenda/${publicSlug}`);

    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/agenda/${publicSlug}`);
    expect(after.body).toContain("Inscription confirmée");
    expect(after.body).toContain("https://visio.example.org/secret-loos");
    expect(after.body).toContain("1 place restante");

    const again = await client.post(`/agenda/dates/${id}/inscription`,
      { suite: `/agenda/${publicSlug}` });
    expect(again.statusCode).toBe(303);
    expect((await client.get(`/agenda/${publicSlug}`)).body)
      .toContain("déjà inscrit·e");
    expect((await client.get("/agenda/mes-inscriptions")).body)
      .toContain("Rendez-vous à Loos");
  });

  it("sends a visitor who tries to register to sign in", async () => {
    const response = await t.client().post(
      `/agenda/dates/${permanenceDates[0].id}/inscription`);

    expect([401, 403]).toContain(response.statusCode);
    expect(await t.database.db.select().from(registrations).where(
      eq(registrations.occurrenceId, permanenceDates[0].id))).toEqual([]);
  });

  it("refuses the staff pages to an ally", async () => {
    const client = await signedIn(ally);

    expect((await client.get("/agenda/nouveau")).statusCode).toBe(403);
    expect((await client.post("/agenda/nouveau", { title: "X" })).statusCode)
      .toBe(403);
    expect((await client.post(`/agenda/${publicSlug}/annuler`)).statusCode)
      .toBe(403);
    expect((await client.get("/admin/agenda/import")).statusCode).toBe(403);
  });

  it("re-renders the staff form with the input and French messages", async () => {
    const client = await signedIn(staffPerson);
    await client.get("/agenda/nouveau");

    const response = await client.post("/agenda/nouveau", {
      title: "Formation de printemps", kind: "training",
      start: "2030-04-10T09:30", end: "2030-04-10T09:00", capacity: "douze" });

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('value="Formation de printemps"');
    expect(response.body).toContain("La fin doit venir après le début.");
    expect(response.body).toContain("nombre entier de places");
  });

  it("answers 400 with French messages to an oversized capacity and "
    + "an unknown rhythm", async () => {
    const client = await signedIn(staffPerson);
    await client.get("/agenda/nouveau");

    const response = await client.post("/agenda/nouveau", {
      title: "Forum des transitions", kind: "meetup",
      start: "2030-05-10T09:30", end: "2030-05-10T12:00",
      capacity: "99999999999999999999", rrule: "FREQ=SOMETIMES" });

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('value="Forum des transitions"');
    expect(response.body).toContain('value="99999999999999999999"');
    expect(response.body).toContain('value="FREQ=SOMETIMES"');
    expect(response.body).toContain("entre 1 et 100 000");
    expect(response.body).toContain("DAILY, WEEKLY, MONTHLY ou YEARLY");
  });

  it("refuses through the form a time skipped in spring and an impossible day", async () => {
    const client = await signedIn(staffPerson);
    await client.get("/agenda/nouveau");

    const response = await client.post("/agenda/nouveau", {
      title: "Nuit du climat", kind: "meetup",
      start: "2030-03-31T02:30", end: "2030-02-30T12:00" });

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('value="2030-03-31T02:30"');
    expect(response.body).toContain("existe pas à Paris ce jour-là");
    expect(response.body).toContain("Date invalide.");
  });

  it("lets staff create then edit an event through the forms", async () => {
    const client = await signedIn(staffPerson);
    await client.get("/agenda/nouveau");
    const created = await client.post("/agenda/nouveau", {
      title: "Session de labellisation", kind: "labelling",
      start: "2030-04-11T14:00", end: "2030-04-11T17:00" });
    expect(created.statusCode).toBe(303);
    const slug = created.headers.location!.split("/").pop()!;

    const form = await client.get(`/agenda/${slug}/modifier`);
    expect(form.body).toContain('value="2030-04-11T14:00"');
    const version = /name="version" value="(\d+)"/.exec(form.body)![1];
    const edited = await client.post(`/agenda/${slug}/modifier`, {
      title: "Session de labellisation", kind: "labelling", version,
      start: "2030-04-11T14:30", end: "2030-04-11T17:00" });
    const stale = await client.post(`/agenda/${slug}/modifier`, {
      title: "Autre titre", kind: "labelling", version,
      start: "2030-04-11T14:30", end: "2030-04-11T17:00" });

    expect(edited.statusCode).toBe(303);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('value="Autre titre"');
    expect(stale.body).toContain("modifié cet évènement");
  });

  it("shows a month as an accessible table", async () => {
    const response = await t.client().get("/agenda/mois/2030-03");

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("<caption>mars 2030</caption>");
    expect(response.body).toContain('<th scope="col">lundi</th>');
    expect(response.body).toContain("10:00 Permanence");
    expect((await t.client().get("/agenda/mois/2030-13")).statusCode)
      .toBe(404);
  });

  it("publishes a valid public feed, right on both sides of DST", async () => {
    const response = await t.client().get("/agenda.ics");
    const text = response.body;
    const vevents = readCalendar(text);
    const permanence = vevents.filter((e) => e.summary === "Permanence");

    expect(response.headers["content-type"]).toContain("text/calendar");
    expect(text).toContain("TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200");
    expect(text).toContain("DTSTART;TZID=Europe/Paris:20300305T100000");
    expect(text).toContain("DTSTART;VALUE=DATE:20301214");
    expect(text).toContain("DTEND;VALUE=DATE:20301216");
    expect(text).not.toContain("visio.example.org");
    expect(text).not.toContain("Réunion interne");
    expect(text).not.toContain("<strong>");
    // 5 March is winter time (UTC+1), 2 April summer time (UTC+2).
    expect(permanence.map((e) => e.startDate.toJSDate().toISOString()))
      .toEqual(["2030-03-05T09:00:00.000Z", "2030-04-02T08:00:00.000Z",
        "2030-05-07T08:00:00.000Z"]);
    expect(new Set(permanence.map((e) => e.uid)).size).toBe(3);
    expect(permanence[0].uid).toBe(`${permanenceDates[0].id}@atelier.test`);
    const loos = vevents.find((e) => e.summary === "Rendez-vous à Loos")!;
    expect(loos.description).toContain("Visite guidée");
    expect(loos.description.trim().endsWith(
      `http://atelier.test/agenda/${publicSlug}`)).toBe(true);
    expect(loos.component.getFirstPropertyValue("url"))
      .toBe(`http://atelier.test/agenda/${publicSlug}`);
  });

  it("gives a personal feed with the video link of confirmed dates only", async () => {
    await registerForOccurrence(t.ctx(actorOf(ally)),
      { occurrenceId: permanenceDates[1].id });
    const [row] = await t.database.db.select().from(people)
      .where(eq(people.id, ally.id));

    const response = await t.client().get(
      `/agenda/flux/${row.calendarToken}.ics`);
    const vevents = readCalendar(response.body);
    const permanence = vevents.filter((e) => e.summary === "Permanence");

    expect(response.statusCode).toBe(200);
    expect(vevents.some((e) => e.summary === "Réunion interne")).toBe(true);
    expect(permanence.map((e) => e.description.includes(
      "visio.example.org/permanence"))).toEqual([false, true, false]);
    expect((await t.client().get("/agenda/flux/inconnu.ics")).statusCode)
      .toBe(404);
  });

  it("serves one event's calendar file", async () => {
    const response = await t.client().get(`/agenda/${permanenceSlug}.ics`);

    expect(readCalendar(response.body)).toHaveLength(3);
    expect((await t.client().get(`/agenda/${privateSlug}.ics`)).statusCode)
      .toBe(404);
  });

  it("answers the API with public fields only", async () => {
    const visitor = await t.app.inject(
      "/api/events?from=2030-03-01&to=2030-04-01");
    const asAlly = await (await signedIn(ally))
      .get("/api/events?from=2030-03-01&to=2030-04-01&kind=other");
    const bad = await t.app.inject("/api/events?from=demain");
    const impossible = await Promise.all(["from=2027-13-45",
      "from=2030-02-30", "to=2030-02-30T10:00:00Z", "from=1"]
      .map((q) => t.app.inject(`/api/events?${q}`)));
    const instant = await t.app.inject(
      "/api/events?from=2030-03-20T16:00:00Z&to=2030-03-20T18:00:00%2B01:00");
    const openapi = await t.app.inject("/api/openapi.json");

    const titles = visitor.json().occurrences.map((o: any) => o.title);
    expect(titles).toContain("Rendez-vous à Loos");
    expect(titles).not.toContain("Réunion interne");
    expect(visitor.body).not.toContain("visio.example.org");
    expect(visitor.json().occurrences[0]).not.toHaveProperty("videoUrl");
    expect(asAlly.json().occurrences.map((o: any) => o.title))
      .toEqual(["Réunion interne"]);
    expect(bad.statusCode).toBe(400);
    for (const response of impossible) {
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toContain("invalide");
    }
    expect(instant.json().occurrences.map((o: any) => o.title))
      .toEqual(["Rendez-vous à Loos"]);
    expect(openapi.json().paths["/api/events"].get.tags).toEqual(["agenda"]);
  });

  it("takes attendance after the date, for staff only", async () => {
    const client = await signedIn(staffPerson);
    const newcomer = await createPerson(t.database.db, { fullName: "Noé" });
    const url = `/agenda/${permanenceSlug}/presences/${permanenceDates[1].id}`;

    clock = new Date("2030-04-02T12:00:00Z");
    const sheet = await client.get(url);
    expect(sheet.body).toContain("Alice Allée");
    const saved = await client.post(url, { present: ally.id, add: newcomer.id,
      addNew: "on" });
    expect(saved.statusCode).toBe(303);

    const rows = await t.database.db.select().from(attendances)
      .where(eq(attendances.occurrenceId, permanenceDates[1].id));
    expect(rows.map((r) => [r.personId, r.newToAlliance]).sort()).toEqual(
      [[ally.id, false], [newcomer.id, true]].sort());
    const refused = await (await signedIn(ally)).post(url,
      { present: ally.id });
    expect(refused.statusCode).toBe(403);

    const mine = await (await signedIn(ally))
      .get(`/agenda/participations/personnes/${ally.id}`);
    expect(mine.body).toContain("Permanence");
    const other = await (await signedIn(newcomer))
      .get(`/agenda/participations/personnes/${ally.id}`);
    expect(other.statusCode).toBe(403);
  });

  it("imports an uploaded file for staff, idempotently", async () => {
    const client = await signedIn(staffPerson);
    await client.get("/admin/agenda/import");
    const file = { field: "file", filename: "agenda.ics",
      content: fs.readFileSync("data/agenda-2021-2023.ics"),
      contentType: "text/calendar" };

    const first = await client.upload("/admin/agenda/import", file);
    const second = await client.upload("/admin/agenda/import", file);

    expect(first.body).toContain("24 évènement(s) créé(s), 0 mis à");
    expect(second.body).toContain("0 évènement(s) créé(s), 24 mis à");
    const past = await t.client().get("/agenda?periode=passe");
    expect(past.body).toContain("Assemblée des allié·es 2022");
    const imported = await t.database.db.select().from(events)
      .where(eq(events.icalUid, "alliance-001@agenda.example.org"));
    expect(imported).toHaveLength(1);
  });
});
