import fs from "node:fs";
import iconv from "iconv-lite";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/app.ts";
import {
  actorOf, createOrganisationRow, createPerson, visitor,
} from "../../../test/factories.ts";
import type { Ctx } from "../../domain/context.ts";
import { exportOrganisationsCsv } from "./csv-export.ts";
import { parseFrenchDate } from "./csv-import-rows.ts";
import { importOrganisationsCsv } from "./csv-import.ts";
import { organisations } from "./tables.ts";

const ALLIES = fs.readFileSync("data/allies.csv");
const utf8 = (text: string, bom = false) =>
  Buffer.from(`${bom ? "\uFEFF" : ""}${text}`, "utf8");

describe("importing the directory from CSV", () => {
  let t: TestApp;
  let staff: Ctx;
  beforeAll(async () => {
    t = await createTestApp();
    staff = t.ctx(actorOf(await createPerson(t.database.db,
      { role: "staff" })));
  });
  afterAll(async () => { await t.close(); });

  it("previews a dry run without writing anything", async () => {
    const report = await importOrganisationsCsv(staff, ALLIES,
      { dryRun: true });

    expect(report).toMatchObject({ dryRun: true, created: 29,
      encoding: "windows-1252", separator: ";" });
    expect(await t.database.db.select().from(organisations)).toHaveLength(0);
  });

  it("imports the bundled allies as one organisation per ally", async () => {
    const report = await importOrganisationsCsv(staff, ALLIES);
    const rows = await t.database.db.select().from(organisations);
    const cerdd = rows.filter((o) => o.nameKey === "cerdd");

    expect(report).toMatchObject({ created: 29, refused: 0 });
    expect(rows).toHaveLength(29);
    expect(cerdd).toHaveLength(1);
    expect(cerdd[0]).toMatchObject({ kind: "association",
      city: "Loos-en-Gohelle", communeId: "commune-62528",
      charterSignatory: true, staffNotes: "doublon ?",
      website: "https://cerdd.org" });
    expect(cerdd[0].themes).toEqual(["développement durable", "coopération",
      "dialogue territorial"]);
    expect(cerdd[0].territoryScope).toEqual(expect.arrayContaining(
      ["commune-62528", "departement-62", "region-32"]));
    expect(report.lines.find((l) => l.line === 29)).toMatchObject({
      name: "cerdd", message: "fusionnée avec ligne 2" });
  });

  it("reads Windows-1252 accents and quoted cells, quotes off themes",
    async () => {
      const [virage] = await t.database.db.select().from(organisations)
        .where(eq(organisations.name, "Virage Énergie"));
      const [citoyens] = await t.database.db.select().from(organisations)
        .where(eq(organisations.slug, "citoyens-territoires-grand-est"));

      expect(virage.themes).toEqual(["sobriété énergétique", "scénarios"]);
      expect(citoyens.themes).toEqual(["développement local",
        "cohorte régionale"]);
      expect(citoyens.staffNotes).toBe("partenaire; cohorte Grand Est");
    });

  it("maps spreadsheet types to kinds", async () => {
    const kinds = Object.fromEntries((await t.database.db.select()
      .from(organisations)).map((o) => [o.name, o.kind]));

    expect(kinds).toMatchObject({
      "ATEMIS": "consultancy", "INET": "public_body",
      "Commune de Loos-en-Gohelle": "local_authority",
      "Collectif TAMA": "collective", "Horizons publics": "company",
      "La Traverse": null,
    });
  });

  it("changes nothing when the same file is imported again", async () => {
    const report = await importOrganisationsCsv(staff, ALLIES);

    expect(report).toMatchObject({ created: 0, changed: 0, unchanged: 30 });
    expect(await t.database.db.select().from(organisations)).toHaveLength(29);
  });

  it("reads UTF-8 with a BOM, commas, French dates and reports bad rows "
    + "with their line", async () => {
    const file = utf8([
      "NOM,type,Code Postal,VILLE,Signataire de la charte,Date de signature,"
        + "Couleur",
      'Atelier Paysan,Collectif,38140,Renage,oui,12/02/2020,"bleu, vert"',
      ",Association,,,,,",
      "Réseau Rural,Association,,,oui,31/02/2020,",
      '"Les ""Petits"" Débrouillards",Association,,,non,,',
      "Triple,Association,,,,,,en trop",
      "Bizarre,Type inventé,,,,,",
    ].join("\r\n"), true);

    const report = await importOrganisationsCsv(staff, file);
    const refused = report.lines.filter((l) => l.outcome === "refused");
    const [paysan] = await t.database.db.select().from(organisations)
      .where(eq(organisations.name, "Atelier Paysan"));

    expect(report).toMatchObject({ encoding: "utf-8", separator: ",",
      created: 3, unknownHeadings: ["Couleur"] });
    expect(refused.map((l) => [l.line, l.message])).toEqual([
      [3, "Le nom de la structure manque."],
      [4, expect.stringContaining("Date de signature illisible")],
      [6, expect.stringContaining("colonnes")],
    ]);
    expect(paysan).toMatchObject({ charterSignedOn: "2020-02-12",
      communeId: "commune-38332", kind: "collective" });
    expect(report.lines.find((l) => l.line === 7)?.warnings[0])
      .toContain("Type « Type inventé » inconnu");
    expect((await t.database.db.select().from(organisations)
      .where(eq(organisations.name, 'Les "Petits" Débrouillards'))))
      .toHaveLength(1);
  });

  it("counts lines across cells that span several lines", async () => {
    const file = utf8('Nom;Commentaire\n"Multi";"un\ndeux"\n;sans nom\n');
    const report = await importOrganisationsCsv(staff, file);

    expect(report.lines.map((l) => [l.line, l.outcome])).toEqual([
      [2, "created"], [4, "refused"]]);
  });

  it("merges a row without town, and flags a namesake elsewhere",
    async () => {
      const file = utf8("Nom;Ville;Thématiques\n"
        + "CERDD;;énergie\nFuturibles;Lyon;\n");
      const report = await importOrganisationsCsv(staff, file);
      const [cerdd] = await t.database.db.select().from(organisations)
        .where(eq(organisations.nameKey, "cerdd"));

      expect(report.lines.map((l) => [l.outcome, l.message])).toEqual([
        ["changed", "complétée (déjà présente)"],
        ["created", "créée ; doublon possible de « Futuribles » (Paris)"],
      ]);
      expect(cerdd.themes).toContain("énergie");
    });

  it("refuses a file without a name column", async () => {
    await expect(importOrganisationsCsv(staff, utf8("Ville;Type\nA;B\n")))
      .rejects.toThrow("colonne « Nom »");
  });

  it("imports 2,000 rows at once, and the same file again changes nothing",
    async () => {
      const lines = ["Nom;Ville;Code postal;Thématiques;Territoires"];
      for (let i = 0; i < 2000; i++) {
        lines.push(`Lot ${i};${i % 2 ? "Lille" : "Arras"};`
          + `${i % 2 ? "" : "62000"};"climat; ""lot"" ";62`);
      }
      const csv = utf8(lines.join("\n"));
      const before = (await t.database.db.select().from(organisations))
        .length;

      const first = await importOrganisationsCsv(staff, csv);
      const again = await importOrganisationsCsv(staff, csv);
      const rows = await t.database.db.select().from(organisations);
      const lot = rows.find((o) => o.name === "Lot 1")!;

      expect(first).toMatchObject({ created: 2000, refused: 0 });
      expect(again).toMatchObject({ created: 0, changed: 0,
        unchanged: 2000 });
      expect(rows).toHaveLength(before + 2000);
      expect(lot).toMatchObject({ communeId: "commune-59350",
        themes: ["climat", "lot"] });
      expect(lot.territoryScope).toEqual(expect.arrayContaining(
        ["commune-59350", "departement-62", "departement-59"]));
    });

  it("finds a commune by its name alone when no other has it", async () => {
    const report = await importOrganisationsCsv(staff, utf8(
      "Nom;Ville;Département\nSans CP;Lille;\nForgerons A;Forges;\n"
      + "Forgerons B;Forges;77\n"), { dryRun: true });

    expect(report.lines.map((l) => l.warnings)).toEqual([[],
      ["Plusieurs communes s'appellent « Forges » : précisez le code "
        + "postal."], []]);
  });

  it("refuses files it cannot read, saying why", async () => {
    const refusal = (bytes: Buffer) =>
      importOrganisationsCsv(staff, bytes, { dryRun: true });

    await expect(refusal(utf8(""))).rejects.toMatchObject({
      message: "Le fichier est vide." });
    await expect(refusal(Buffer.from("Nom;Ville\nA;Lille\n", "utf16le")))
      .rejects.toMatchObject({ message: "Le fichier est en UTF-16 : "
        + "enregistrez-le en CSV UTF-8 ou Windows-1252." });
    await expect(refusal(Buffer.from([0x50, 0x4b, 3, 4, 0x14, 0, 6, 0])))
      .rejects.toMatchObject({
        message: "Ce fichier n'est pas un tableur CSV lisible." });
    await expect(refusal(utf8("Nom|Ville\nA|Lille\n")))
      .rejects.toMatchObject({ message: expect.stringContaining(
        "points-virgules, des virgules ou des tabulations") });
    await expect(refusal(utf8(`Nom\n${"x\n".repeat(20_001)}`)))
      .rejects.toMatchObject({ message: expect.stringMatching(
        /20\s001 lignes/) });
    await expect(refusal(Buffer.alloc(5 * 1024 * 1024 + 1, "a")))
      .rejects.toMatchObject({ message: expect.stringContaining("5 Mo") });
  });

  it("reads tab-separated files", async () => {
    const report = await importOrganisationsCsv(staff,
      utf8("Nom\tVille\tCode postal\nTabulée\tArras\t62000\n"),
      { dryRun: true });

    expect(report).toMatchObject({ separator: "\t", created: 1 });
  });

  it("imports the rows around a quote never closed, naming its line",
    async () => {
      const report = await importOrganisationsCsv(staff, utf8(
        "Nom;Ville\nAvant;Arras\n\"Ouverte;Arras\nAprès;Arras\n"),
      { dryRun: true });

      expect(report).toMatchObject({ created: 2, refused: 1 });
      expect(report.lines.map((l) => [l.line, l.name, l.outcome])).toEqual([
        [2, "Avant", "created"], [3, "", "refused"],
        [4, "Après", "created"]]);
      expect(report.lines[1].message).toContain("ligne 3");
    });

  it("refuses visitors and allies", async () => {
    const ally = actorOf(await createPerson(t.database.db));

    await expect(importOrganisationsCsv(t.ctx(visitor), ALLIES))
      .rejects.toMatchObject({ code: "forbidden" });
    await expect(importOrganisationsCsv(t.ctx(ally), ALLIES))
      .rejects.toMatchObject({ code: "forbidden" });
  });

  it("reads French dates", () => {
    expect(parseFrenchDate("12/02/2020")).toBe("2020-02-12");
    expect(parseFrenchDate("2020-02-12")).toBe("2020-02-12");
    expect(parseFrenchDate("1/2/21")).toBe("2021-02-01");
    expect(parseFrenchDate("30/02/2020")).toBeUndefined();
    expect(parseFrenchDate("")).toBeNull();
  });
});

describe("exporting the directory to CSV", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await createOrganisationRow(t.database.db, {
      name: "=Formule", city: "Lille", communeId: "commune-59350",
      email: "equipe@formule.fr",
      emailVisibility: "staff", phone: "+33 3 20 00 00 00",
      phoneVisibility: "allies", staffNotes: "note interne",
      themes: ["énergie", "climat"], territoryIds: ["departement-59"],
    });
  });
  afterAll(async () => { await t.close(); });

  const read = (csv: Buffer) => csv.toString("utf8");

  it("writes UTF-8 with BOM, semicolons and CRLF, guarding formulas",
    async () => {
      const staff = actorOf(await createPerson(t.database.db,
        { role: "staff" }));
      const text = read(await exportOrganisationsCsv(t.ctx(staff)));
      const [heading, row] = text.split("\r\n");

      expect(text.startsWith("\uFEFFNom;Type;")).toBe(true);
      expect(heading).toContain("Commentaire");
      expect(row).toContain("'=Formule;");
      expect(row).toContain("énergie; climat");
      expect(row).toContain(";59;");
      expect(row).toContain("equipe@formule.fr");
      expect(row).toContain("'+33 3 20 00 00 00");
      expect(row).toContain("note interne");
    });

  it("leaves out what an ally may not see", async () => {
    const ally = actorOf(await createPerson(t.database.db));
    const text = read(await exportOrganisationsCsv(t.ctx(ally)));

    expect(text).not.toContain("Commentaire");
    expect(text).not.toContain("note interne");
    expect(text).not.toContain("equipe@formule.fr");
    expect(text).toContain("+33 3 20 00 00 00");
  });

  it("gives visitors only public fields", async () => {
    const text = read(await exportOrganisationsCsv(t.ctx(visitor)));

    expect(text).not.toContain("+33");
    expect(text).toContain("Formule");
  });

  it("can be imported back", async () => {
    const staff = t.ctx(actorOf(await createPerson(t.database.db,
      { role: "staff" })));
    const csv = await exportOrganisationsCsv(staff);
    const report = await importOrganisationsCsv(staff, csv);

    expect(report).toMatchObject({ created: 0, changed: 0, refused: 0,
      unknownHeadings: [] });
  });
});
