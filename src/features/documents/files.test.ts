import { describe, expect, it } from "vitest";
import { detectFormat, extractFileText } from "./files.ts";
import JSZip from "jszip";
import {
  makeDocx, makeOdt, makePdf, pdfWithoutText, pdfWithText,
} from "./test-files.ts";

describe("reading deposited files", () => {
  it("reads the text layer of a PDF", async () => {
    const result = await extractFileText("pdf",
      pdfWithText("Cooperation des territoires"));
    expect(result).toEqual({ status: "extracted",
      text: "Cooperation des territoires" });
  });

  it("flags a PDF without text layer or a corrupt one, without failing",
    async () => {
      expect(await extractFileText("pdf", pdfWithoutText()))
        .toEqual({ status: "not_extracted", text: "" });
      const corrupt = Buffer.concat([Buffer.from("%PDF-1.4\n"),
        Buffer.alloc(500, 0x42)]);
      expect((await extractFileText("pdf", corrupt)).status)
        .toBe("not_extracted");
      expect((await extractFileText("docx", Buffer.from("PK\u0003\u0004zz")))
        .status).toBe("not_extracted");
    });

  it("reads Word and OpenDocument texts", async () => {
    expect((await extractFileText("docx", await makeDocx(
      "Énergie partagée"))).text).toBe("Énergie partagée");
    expect((await extractFileText("odt", await makeOdt(
      "Habitants &amp; élus"))).text).toBe("Habitants & élus");
  });

  it("reads several files at once, each in a thread of its own", async () => {
    const pdf = pdfWithText("Budget participatif");
    const copy = Buffer.from(pdf);
    const results = await Promise.all([
      extractFileText("pdf", pdf),
      extractFileText("docx", await makeDocx("Tiers-lieux")),
      extractFileText("odt", await makeOdt("Mobilités rurales")),
      extractFileText("markdown", Buffer.from("# Feuille de route\n\n"
        + "Les *communs* d'abord.")),
    ]);
    expect(results).toEqual([
      { status: "extracted", text: "Budget participatif" },
      { status: "extracted", text: "Tiers-lieux" },
      { status: "extracted", text: "Mobilités rurales" },
      { status: "extracted",
        text: "# Feuille de route\n\nLes *communs* d'abord." },
    ]);
    // The thread reads a copy: the deposit still stores the bytes after.
    expect(pdf).toEqual(copy);
  });

  it("stops a reading that takes too long, the server answering meanwhile",
    async () => {
      // Each ' operator starts a new line of text: four megabytes of them
      // keep the PDF reader busy for seconds, without ever yielding.
      const endless = makePdf("BT /F1 12 Tf 72 700 Td "
        + "(mot)' ".repeat(600_000) + "ET");
      let ticks = 0;
      const clock = setInterval(() => ticks++, 5);
      try {
        expect(await extractFileText("pdf", endless, 1_000))
          .toEqual({ status: "not_extracted", text: "" });
      } finally {
        clearInterval(clock);
      }
      // Read on this thread, the file would have held it to the end, timers
      // included, and come out "extracted" long after the time limit.
      expect(ticks).toBeGreaterThan(0);
    });

  it("flags a corrupt Word or OpenDocument file", async () => {
    const docx = await makeDocx("Coopération");
    const noContent = await new JSZip().file("mimetype",
      "application/vnd.oasis.opendocument.text")
      .generateAsync({ type: "nodebuffer" });
    for (const [format, bytes] of [
      ["docx", docx.subarray(0, docx.length / 2)],
      ["odt", noContent],
      ["odt", Buffer.concat([Buffer.from("PK\u0003\u0004"),
        Buffer.alloc(2000, 0xff)])],
    ] as const) {
      expect(await extractFileText(format, bytes))
        .toEqual({ status: "not_extracted", text: "" });
    }
  });

  it("flags an archive that unpacks past the limit, a small one read", async () => {
    // 8 MB of one letter packs into a few kilobytes, as a "zip bomb" does.
    const bomb = await new JSZip()
      .file("[Content_Types].xml", "<Types/>")
      .file("word/document.xml", "A".repeat(8 * 1024 * 1024))
      .generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    expect(bomb.length).toBeLessThan(100_000);
    expect(await extractFileText("docx", bomb, 15_000, 1024 * 1024))
      .toEqual({ status: "not_extracted", text: "" });
    const odt = await makeOdt("Coopération");
    expect(await extractFileText("odt", odt, 15_000, 1024 * 1024))
      .toEqual({ status: "extracted", text: "Coopération" });
  });

  it("reads a page of unclosed markup as far as it can", async () => {
    // Patterns searching for each opener's end again took hours here, and
    // the time limit flagged the file instead.
    const html = Buffer.from("<p>Début</p>" + "<!--".repeat(200_000));
    expect(await extractFileText("html", html))
      .toEqual({ status: "extracted", text: "Début" });
  });

  it("strips HTML down to its words, scripts included", async () => {
    const html = Buffer.from("<html><head><style>p{}</style><script>"
      + "alert('x')</script></head><body><h1>Titre</h1><p>Les "
      + "<b>communs</b> &eacute;t&eacute; &#233;</p></body></html>");
    const { text } = await extractFileText("html", html);
    expect(text).not.toMatch(/alert|<|p\{\}/);
    expect(text).toContain("Les communs");
  });

  it("reads Windows-1252 text files", async () => {
    const bytes = Buffer.from([0x45, 0x6e, 0x65, 0x72, 0x67, 0x69, 0x65,
      0x20, 0xe9, 0x6c, 0x75, 0x65]);
    expect((await extractFileText("text", bytes)).text).toBe("Energie élue");
  });

  it("checks the first bytes against the extension", () => {
    expect(detectFormat("a.PDF", pdfWithText("x"))).toBe("pdf");
    expect(detectFormat("notes.md", Buffer.from("# Titre"))).toBe("markdown");
    expect(() => detectFormat("faux.pdf", Buffer.from("MZ\u0090\u0000")))
      .toThrow(/ne correspond pas/);
    expect(() => detectFormat("image.txt", Buffer.from([0x89, 0x50, 0x4e,
      0x47, 0, 0]))).toThrow(/ne correspond pas/);
    expect(() => detectFormat("script.exe", Buffer.from("MZ")))
      .toThrow(/Formats acceptés/);
    expect(() => detectFormat("vide.txt", Buffer.alloc(0))).toThrow(/vide/);
  });
});
