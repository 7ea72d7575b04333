import { describe, expect, it } from "vitest";
import { detectFileType, FILE_TYPES, fileNameFor } from "./file-types.ts";

const IMAGES = ["image/png", "image/jpeg", "image/webp"] as const;
const BINARIES = FILE_TYPES.filter((t) => t !== "text/plain");

// Real first bytes of each kind, each followed by a little of a body.
const PDF = Buffer.from("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n", "latin1");
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
  0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46,
  0x49, 0x46, 0x00]);
const WEBP = Buffer.concat([Buffer.from("RIFF"),
  Buffer.from([0x24, 0x00, 0x00, 0x00]), Buffer.from("WEBPVP8 ")]);
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]),
  Buffer.from("mimetypeapplication/vnd.oasis.opendocument.text")]);
const HTML = Buffer.from("<!doctype html><html><script>alert(1)</script>");
const SVG = Buffer.from('<?xml version="1.0"?>\n'
  + '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

describe("reading a file's type from its first bytes", () => {
  it("recognises each signature among every type", () => {
    expect(detectFileType(PDF, FILE_TYPES)).toBe("application/pdf");
    expect(detectFileType(PNG, FILE_TYPES)).toBe("image/png");
    expect(detectFileType(JPEG, FILE_TYPES)).toBe("image/jpeg");
    expect(detectFileType(WEBP, FILE_TYPES)).toBe("image/webp");
    expect(detectFileType(ZIP, FILE_TYPES)).toBe("application/zip");
    expect(detectFileType(Buffer.from("Énergie partagée\n"), FILE_TYPES))
      .toBe("text/plain");
  });

  it("answers only with a type the caller accepts", () => {
    expect(detectFileType(PDF, IMAGES)).toBeNull();
    expect(detectFileType(ZIP, ["application/pdf"])).toBeNull();
    expect(detectFileType(PNG, ["text/plain"])).toBeNull();
    expect(detectFileType(JPEG, IMAGES)).toBe("image/jpeg");
  });

  it("names a PDF without NUL bytes a PDF, whatever order is given", () => {
    expect(PDF.includes(0)).toBe(false);
    expect(detectFileType(PDF, ["text/plain", "application/pdf"]))
      .toBe("application/pdf");
    expect(detectFileType(PDF, ["text/plain"])).toBe("text/plain");
  });

  it("takes an HTML page renamed .png for text, never for an image", () => {
    expect(detectFileType(HTML, IMAGES)).toBeNull();
    expect(detectFileType(HTML, BINARIES)).toBeNull();
    expect(detectFileType(HTML, FILE_TYPES)).toBe("text/plain");
  });

  it("takes an SVG for text, never for an image", () => {
    expect(detectFileType(SVG, IMAGES)).toBeNull();
    expect(detectFileType(SVG, FILE_TYPES)).toBe("text/plain");
  });

  it("gives an empty file no type, not even text", () => {
    expect(detectFileType(Buffer.alloc(0), FILE_TYPES)).toBeNull();
    expect(detectFileType(new Uint8Array(0), ["text/plain"])).toBeNull();
  });

  it("refuses a signature cut short", () => {
    expect(detectFileType(PDF.subarray(0, 4), BINARIES)).toBeNull();
    expect(detectFileType(PNG.subarray(0, 7), BINARIES)).toBeNull();
    expect(detectFileType(JPEG.subarray(0, 2), BINARIES)).toBeNull();
    expect(detectFileType(WEBP.subarray(0, 11), BINARIES)).toBeNull();
    expect(detectFileType(WEBP.subarray(0, 4), BINARIES)).toBeNull();
    expect(detectFileType(ZIP.subarray(0, 3), BINARIES)).toBeNull();
  });

  it("takes a complete signature even with nothing after it", () => {
    expect(detectFileType(PNG.subarray(0, 8), IMAGES)).toBe("image/png");
    expect(detectFileType(WEBP.subarray(0, 12), IMAGES)).toBe("image/webp");
    expect(detectFileType(Buffer.from("%PDF-"), ["application/pdf"]))
      .toBe("application/pdf");
  });

  it("tells a WebP from another RIFF file", () => {
    const wav = Buffer.concat([WEBP.subarray(0, 8), Buffer.from("WAVEfmt ")]);
    expect(detectFileType(wav, FILE_TYPES)).toBeNull();
  });

  it("looks for NUL bytes in the first 8 KB only", () => {
    const early = Buffer.alloc(8192, 0x61);
    early[8191] = 0;
    expect(detectFileType(early, ["text/plain"])).toBeNull();
    const late = Buffer.alloc(8193, 0x61);
    late[8192] = 0;
    expect(detectFileType(late, ["text/plain"])).toBe("text/plain");
  });

  it("names a file without hidden characters, by what it is", () => {
    expect(fileNameFor("c\u202etxt.html", "text/plain; charset=utf-8"))
      .toBe("ctxt.html.txt");
    expect(fileNameFor("a\u200e\u200fb\u202a\u2066\u2069\ufeff\u0000\u0007"
      + "\u2028.pdf", "application/pdf")).toBe("ab.pdf");
    expect(fileNameFor("x.html", "application/pdf")).toBe("x.html.pdf");
    expect(fileNameFor("PLAN.JPEG", "image/jpeg")).toBe("PLAN.JPEG");
    expect(fileNameFor("notes.md", "text/markdown; charset=utf-8"))
      .toBe("notes.md");
    expect(fileNameFor("C:\\Users\\moi\\../rapport.pdf", "application/pdf"))
      .toBe("rapport.pdf");
    expect(fileNameFor("\u202e", "image/png", "piece-jointe"))
      .toBe("piece-jointe.png");
    expect(fileNameFor("données", "application/octet-stream"))
      .toBe("données");
  });
});
