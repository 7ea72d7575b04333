import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import { actorOf, createPerson, visitor } from "../../../test/factories.ts";
import { startSmtpServer } from "../../../test/smtp.ts";
import { query } from "../../db/client.ts";
import { drainOutbox, smtpTransport } from "../../mail/worker.ts";
import { auditEvents } from "../audit/tables.ts";
import { findAttestedCompetences } from "./attestation.ts";
import { commentSheetSection, findSheetComments } from "./comments.ts";
import { publishSheet, sendBackSheet, submitSheet } from "./review.ts";
import { createSheet, getSheet, updateSheet } from "./sheets.ts";
import type { SheetInput } from "./input.ts";
import { experienceSheets, sheetVersions } from "./tables.ts";
import {
  refusal, sampleSheet, sheetAt, sheetScene, type SheetScene,
} from "./test-fixtures.ts";
import { diffSheetVersions, findSheetVersions } from "./versions.ts";

describe("experience sheets", () => {
  let t: TestApp;
  let s: SheetScene;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    t = await createTestApp();
    s = await sheetScene(t);
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  const send = () => drainOutbox(t.database.db,
    smtpTransport({ ...t.config, smtpUrl: smtp.url }),
    pino({ level: "silent" }));

  describe("writing", () => {
    it("lets an ally start a draft with co-author, facilitator and "
      + "organisation, and indexes every section", async () => {
      const sheet = await sheetAt(s, "draft");
      const data = await getSheet(s.as(s.author), sheet.slug);

      expect(sheet.status).toBe("draft");
      expect(data.authors.map((a) => a.fullName).sort())
        .toEqual(["Camille Autrice", "Lou Coautrice"]);
      expect(data.facilitator?.fullName).toBe("Sacha Maïeuticien");
      expect(data.sheet.trajectory).toEqual([
        { date: "2019-03", text: "premier atelier" },
        { date: "2020", text: "vote du budget" }]);
      for (const words of ["minière", "ateliers dans chaque quartier",
        "Le temps long", "Commencer petit", "Cartes sensibles",
        "Animation de concertation", "Pédagogie active", "Démocratie"]) {
        expect(data.sheet.bodyText).toContain(words);
      }
      const [hit] = await query<{ n: number }>(t.database.db, sql`
        select count(*)::int as n from experience_sheets where id =
        ${sheet.id} and search_vector @@ websearch_to_tsquery('french',
        atelier_unaccent('quartiers pedagogie'))`);
      expect(hit.n).toBe(1);
    });

    it("refuses visitors, undated steps, unknown co-authors and "
      + "untrained facilitators", async () => {
      expect((await refusal(createSheet(t.ctx(visitor),
        sampleSheet(s)))).code).toBe("forbidden");
      const error = await refusal(createSheet(s.as(s.author), {
        ...sampleSheet(s), title: " ", trajectory: "sans date",
        coauthors: "inconnu@example.org", facilitatorId: s.other.id }));

      expect(error.code).toBe("invalid");
      expect(Object.keys(error.fields).sort()).toEqual(
        ["coauthors", "facilitatorId", "title", "trajectory"]);
    });

    it("refuses an organisation no author acts for", async () => {
      const error = await refusal(createSheet(s.as(s.other),
        { ...sampleSheet(s), coauthors: "" }));

      expect(error.fields.organisationIds).toBeDefined();
    });

    it("lets authors and the facilitator edit a draft, not other allies "
      + "nor staff", async () => {
      const sheet = await sheetAt(s, "draft");
      const edit = (who: typeof s.author, version: number) =>
        updateSheet(s.as(who), { ...sampleSheet(s), sheetId: sheet.id,
          version, lessons: `Par ${who.fullName}` });

      const byCoauthor = await edit(s.coauthor, sheet.version);
      const byFacilitator = await edit(s.facilitator, byCoauthor.version);
      expect(byFacilitator.lessons).toBe("Par Sacha Maïeuticien");
      expect(byFacilitator.bodyText).toContain("Par Sacha Maïeuticien");
      expect((await refusal(edit(s.other, byFacilitator.version))).code)
        .toBe("not_found");
      expect((await refusal(edit(s.staff, byFacilitator.version))).code)
        .toBe("forbidden");
    });

    describe("who changes the people of a sheet", () => {
      const edit = (who: typeof s.author, sheet: { id: string;
        version: number }, input: Partial<SheetInput>) =>
        updateSheet(s.as(who), { ...sampleSheet(s), sheetId: sheet.id,
          version: sheet.version, ...input });
      const peopleOf = async (slug: string) => {
        const data = await getSheet(s.as(s.staff), slug);

        return { authors: data.authors.map((a) => a.fullName).sort(),
          facilitator: data.facilitator?.fullName ?? null };
      };
      const unchanged = { facilitator: "Sacha Maïeuticien",
        authors: ["Camille Autrice", "Lou Coautrice"] };

      it("lets a co-author write but not change the authors nor the "
        + "facilitator", async () => {
        const sheet = await sheetAt(s, "draft");
        const other = await createPerson(t.database.db,
          { isFacilitator: true });
        for (const input of [{ coauthors: s.other.email! },
          { coauthors: "" }, { facilitatorId: other.id },
          { facilitatorId: "" }]) {
          const error = await refusal(edit(s.coauthor, sheet, input));
          expect(error.code).toBe("forbidden");
        }
        expect(await peopleOf(sheet.slug)).toEqual(unchanged);
        await expect(edit(s.coauthor, sheet, { lessons: "Autre leçon." }))
          .resolves.toMatchObject({ lessons: "Autre leçon." });
      });

      it("lets the facilitator manage the co-authors but not replace "
        + "nor drop themselves", async () => {
        const sheet = await sheetAt(s, "draft");
        const other = await createPerson(t.database.db,
          { isFacilitator: true });
        for (const facilitatorId of [other.id, ""]) {
          expect((await refusal(edit(s.facilitator, sheet,
            { facilitatorId }))).code).toBe("forbidden");
        }
        await edit(s.facilitator, sheet, { coauthors: s.other.email! });

        expect(await peopleOf(sheet.slug)).toEqual({ ...unchanged,
          authors: ["Camille Autrice", "Dominique Autre"] });
      });

      it("lets the first author manage the co-authors and choose a "
        + "facilitator only while there is none", async () => {
        const sheet = await sheetAt(s, "draft", { facilitatorId: "" });
        const other = await createPerson(t.database.db,
          { isFacilitator: true, fullName: "Noa Autre Maïeuticienne" });
        const chosen = await edit(s.author, sheet, { coauthors: "" });
        expect(await peopleOf(sheet.slug)).toEqual({
          authors: ["Camille Autrice"], facilitator: "Sacha Maïeuticien" });

        for (const facilitatorId of [other.id, ""]) {
          expect((await refusal(edit(s.author, chosen, { coauthors: "",
            facilitatorId }))).code).toBe("forbidden");
        }
        expect((await peopleOf(sheet.slug)).facilitator)
          .toBe("Sacha Maïeuticien");
      });

      it("lets staff change the authors and the facilitator of a "
        + "published sheet", async () => {
        const sheet = await sheetAt(s, "published");
        const other = await createPerson(t.database.db,
          { isFacilitator: true, fullName: "Noa Autre Maïeuticienne" });
        await edit(s.staff, sheet, { coauthors: s.other.email!,
          facilitatorId: other.id });

        expect(await peopleOf(sheet.slug)).toEqual({
          authors: ["Camille Autrice", "Dominique Autre"],
          facilitator: "Noa Autre Maïeuticienne" });
      });
    });

    it("refuses an edit made on a stale version", async () => {
      const sheet = await sheetAt(s, "draft");
      await updateSheet(s.as(s.author), { ...sampleSheet(s),
        sheetId: sheet.id, version: sheet.version });
      const error = await refusal(updateSheet(s.as(s.facilitator), {
        ...sampleSheet(s), sheetId: sheet.id, version: sheet.version }));

      expect(error.code).toBe("conflict");
    });

    it("keeps drafts from visitors and other allies", async () => {
      const sheet = await sheetAt(s, "draft");

      expect((await refusal(getSheet(t.ctx(visitor), sheet.slug))).code)
        .toBe("not_found");
      expect((await refusal(getSheet(s.as(s.other), sheet.slug))).code)
        .toBe("not_found");
      await expect(getSheet(s.as(s.staff), sheet.slug)).resolves.toBeTruthy();
    });

    it("takes comments per section from writers and staff only",
      async () => {
        const sheet = await sheetAt(s, "draft");
        await commentSheetSection(s.as(s.facilitator), { sheetId: sheet.id,
          section: "lessons", body: "Précisez le principe." });

        expect((await refusal(commentSheetSection(s.as(s.other), {
          sheetId: sheet.id, section: "lessons", body: "?" }))).code)
          .toBe("not_found");
        expect((await refusal(commentSheetSection(s.as(s.author), {
          sheetId: sheet.id, section: "nowhere", body: "" }))).code)
          .toBe("invalid");
        const comments = await findSheetComments(s.as(s.author), sheet.id);
        expect(comments.map((c) => [c.section, c.authorName])).toEqual(
          [["lessons", "Sacha Maïeuticien"]]);
        expect(await findSheetComments(s.as(s.other), sheet.id))
          .toEqual([]);
      });
  });

  describe("review", () => {
    it("lets only the facilitator submit, then freezes the draft",
      async () => {
        const sheet = await sheetAt(s, "draft");
        for (const who of [s.author, s.coauthor, s.staff]) {
          expect((await refusal(submitSheet(s.as(who), sheet.id))).code)
            .toBe("forbidden");
        }
        const submitted = await submitSheet(s.as(s.facilitator), sheet.id);

        expect(submitted.status).toBe("submitted");
        expect((await refusal(updateSheet(s.as(s.author), {
          ...sampleSheet(s), sheetId: sheet.id,
          version: submitted.version }))).code).toBe("forbidden");
      });

    it("lets only staff publish or send back, and mails the writers "
      + "through SMTP", async () => {
      const sheet = await sheetAt(s, "submitted");
      for (const who of [s.author, s.facilitator, s.other]) {
        expect((await refusal(publishSheet(s.as(who), sheet.id))).code)
          .toBe("forbidden");
        expect((await refusal(sendBackSheet(s.as(who), { sheetId: sheet.id,
          remarks: "Non" }))).code).toBe("forbidden");
      }
      expect((await refusal(sendBackSheet(s.as(s.staff),
        { sheetId: sheet.id, remarks: " " }))).code).toBe("invalid");
      await sendBackSheet(s.as(s.staff), { sheetId: sheet.id,
        remarks: "Ajoutez les effets mesurés." });
      await send();
      const backMails = smtp.messages.filter((m) =>
        m.subject.includes("à reprendre"));
      expect(backMails.flatMap((m) => m.to).sort()).toEqual([s.author.email,
        s.coauthor.email, s.facilitator.email].sort());
      expect(backMails[0].text).toContain("Ajoutez les effets mesurés.");

      await submitSheet(s.as(s.facilitator), sheet.id);
      const published = await publishSheet(s.as(s.staff), sheet.id);
      await send();

      expect(published.status).toBe("published");
      expect(published.publishedAt).toBeInstanceOf(Date);
      expect(smtp.messages.filter((m) => m.subject.includes("est publiée")
        && m.text.includes(`/fiches/${sheet.slug}`)).length).toBe(3);
      const audit = await t.database.db.select().from(auditEvents)
        .where(eq(auditEvents.subjectId, sheet.id));
      expect(audit.map((a) => a.action).sort()).toEqual(["sheet.published",
        "sheet.sent_back", "sheet.submitted", "sheet.submitted"]);
      await expect(getSheet(t.ctx(visitor), sheet.slug)).resolves.toBeTruthy();
    });

    it("refuses to publish a draft", async () => {
      const sheet = await sheetAt(s, "draft");

      expect((await refusal(publishSheet(s.as(s.staff), sheet.id))).code)
        .toBe("conflict");
    });
  });

  describe("history", () => {
    it("keeps a version per publication and per staff edit, with a "
      + "word diff", async () => {
      const sheet = await sheetAt(s, "published");
      const edited = await updateSheet(s.as(s.staff), { ...sampleSheet(s),
        sheetId: sheet.id, version: sheet.version,
        lessons: "Commencer grand et <b>durer</b>." });

      expect((await refusal(updateSheet(s.as(s.author), {
        ...sampleSheet(s), sheetId: sheet.id, version: edited.version })))
        .code).toBe("forbidden");
      const { versions } = await findSheetVersions(t.ctx(visitor), sheet.slug);
      expect(versions.map((v) => [v.number, v.reason, v.changedByName]))
        .toEqual([[2, "edited", "Alex Équipe"],
          [1, "published", "Alex Équipe"]]);
      const diff = await diffSheetVersions(t.ctx(visitor), sheet.slug, 1, 2);
      expect(diff.sections.map((x) => x.key)).toEqual(["lessons"]);
      const parts = diff.sections[0].parts;
      const read = (kind: string) => parts.filter((p) => p.kind === kind)
        .map((p) => p.text).join("");
      expect(read("same")).toContain("Commencer");
      expect(read("removed")).toContain("petit");
      expect(read("added")).toContain("grand");
      expect(read("added")).toContain("<b>durer</b>");

      const page = await t.client().get(
        `/fiches/${sheet.slug}/versions?de=1&a=2`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/<ins>[^<]*&lt;b>durer&lt;\/b>/);
      expect(page.body).not.toContain("<b>durer</b>");
      const rows = await t.database.db.select().from(sheetVersions)
        .where(eq(sheetVersions.sheetId, sheet.id));
      expect(rows.find((r) => r.number === 1)!.snapshot.lessons)
        .toBe("Commencer petit.");
    });
  });

  describe("attestation", () => {
    it("attests the competences of published sheets only, exactly, for "
      + "authors and their organisations", async () => {
      const db = t.database.db;
      const author = await createPerson(db);
      const scene = { ...s, author,
        as: (p: typeof author) => t.ctx(actorOf(p)) };
      const { addMembership } = await import("../../../test/factories.ts");
      await addMembership(db, author.id, s.organisation.id);
      const only = { coauthors: "", organisationIds: [s.organisation.id] };
      await sheetAt(scene, "draft", { ...only, title: "Brouillon",
        competences: "Facilitation" });
      await sheetAt(scene, "submitted", { ...only, title: "Soumise",
        competences: "Facilitation" });
      const withdrawn = await sheetAt(scene, "published", { ...only,
        title: "Retirée", competences: "Médiation" });
      await sendBackSheet(s.as(s.staff), { sheetId: withdrawn.id,
        remarks: "Retirée pour révision." });
      const published = await sheetAt(scene, "published", { ...only,
        title: "Publiée", competences: "Animation de concertation\n"
          + "animation de CONCERTATION élargie" });

      const forAuthor = await findAttestedCompetences(t.ctx(visitor),
        { personId: author.id });
      const attesting = [{ slug: published.slug, title: "Publiée",
        publishedAt: published.publishedAt }];
      expect(forAuthor).toEqual([
        { competence: "Animation de concertation", sheets: attesting },
        { competence: "animation de CONCERTATION élargie",
          sheets: attesting },
      ]);
      const forFacilitator = await findAttestedCompetences(t.ctx(visitor),
        { personId: s.facilitator.id });
      expect(forFacilitator).toEqual([]);
      const forOrganisation = await findAttestedCompetences(t.ctx(visitor),
        { organisationId: s.organisation.id });
      expect(forOrganisation.map((c) => c.competence)).not
        .toContain("Facilitation");
      expect(forOrganisation.map((c) => c.competence)).not
        .toContain("Médiation");
      const [row] = await db.select().from(experienceSheets)
        .where(eq(experienceSheets.id, withdrawn.id));
      expect(row.status).toBe("sent_back");
    });
  });

  describe("sanitised Markdown", () => {
    it("never renders scripts or event handlers of a section", async () => {
      const sheet = await sheetAt(s, "published", {
        title: "Fiche piégée",
        context: "<script>alert(1)</script><img src=x onerror=alert(2)>"
          + "\n\n[lien](javascript:alert(3)) **gras**" });
      const page = await t.client().get(`/fiches/${sheet.slug}`);

      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("<strong>gras</strong>");
      expect(page.body).not.toMatch(/<script>alert|onerror|javascript:/);
    });
  });
});
