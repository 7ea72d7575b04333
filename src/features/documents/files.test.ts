import { describe, expect, it } from "vitest";
import { detectFormat, extractFileText } from "./files.ts";
import {
  makeDocx, makeOdt, pdfWithoutText, pdfWithText,
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
