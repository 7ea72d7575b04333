import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import JSZip from "jszip";
import mammoth from "mammoth";
import { extractText as extractPdfText, getDocumentProxy } from "unpdf";
import { invalid } from "../../domain/errors.ts";
import { ownValue } from "../../domain/records.ts";
import { detectFileType, type FileType } from "../../domain/file-types.ts";
import { decodeCsv } from "../directory/csv-import.ts";

/** Largest file an ally may deposit. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Longest text kept for search: a tsvector holds at most 1 MB. */
export const MAX_TEXT_CHARS = 300_000;

/** Time given to reading a file's text before it is flagged instead. */
export const EXTRACTION_TIMEOUT_MS = 15_000;

export type FileFormat = "pdf" | "docx" | "odt" | "markdown" | "html" | "text";

interface FormatRule {
  extensions: string[];
  /** What the file is served as: never HTML from the site's origin. */
  contentType: string;
  /** The type its first bytes must show, whatever its name says. */
  looksLike: FileType;
}

const FORMATS: Record<FileFormat, FormatRule> = {
  pdf: { extensions: ["pdf"], contentType: "application/pdf",
    looksLike: "application/pdf" },
  docx: { extensions: ["docx"], contentType: "application/vnd."
    + "openxmlformats-officedocument.wordprocessingml.document",
    looksLike: "application/zip" },
  odt: { extensions: ["odt"],
    contentType: "application/vnd.oasis.opendocument.text",
    looksLike: "application/zip" },
  markdown: { extensions: ["md", "markdown"],
    contentType: "text/markdown; charset=utf-8", looksLike: "text/plain" },
  html: { extensions: ["html", "htm"],
    contentType: "text/plain; charset=utf-8", looksLike: "text/plain" },
  text: { extensions: ["txt"], contentType: "text/plain; charset=utf-8",
    looksLike: "text/plain" },
};

export const ACCEPTED_EXTENSIONS = Object.values(FORMATS)
  .flatMap((f) => f.extensions).map((e) => `.${e}`);

/**
 * The format of an uploaded file, from its extension and checked against
 * its first bytes: a renamed executable or image is refused.
 */
export function detectFormat(fileName: string, bytes: Uint8Array): FileFormat {
  const extension = path.extname(fileName).slice(1).toLowerCase();
  const format = (Object.keys(FORMATS) as FileFormat[])
    .find((f) => FORMATS[f].extensions.includes(extension));
  const refuse = (message: string) => invalid(message, { file: message });
  if (!format) {
    throw refuse("Formats acceptés : PDF, Markdown, HTML, texte, ODT, DOCX.");
  }
  if (bytes.length === 0) throw refuse("Le fichier est vide.");
  if (!detectFileType(bytes, [FORMATS[format].looksLike])) {
    throw refuse("Le contenu du fichier ne correspond pas à son extension.");
  }

  return format;
}

export const contentTypeOf = (format: FileFormat) =>
  FORMATS[format].contentType;

export interface Extraction {
  status: "extracted" | "not_extracted";
  text: string;
}

/**
 * The text of a file for search. Never throws: a corrupt file, a scan
 * without text layer or one that takes too long is "not extracted", and
 * the deposit goes on without its text.
 */
export async function extractFileText(
  format: FileFormat, bytes: Uint8Array, timeoutMs = EXTRACTION_TIMEOUT_MS,
): Promise<Extraction> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
  });
  try {
    const raw = await Promise.race([readText(format, bytes), timeout]);
    const text = cleanText(raw);
    if (!/[\p{L}\p{N}]/u.test(text)) return { status: "not_extracted", text: "" };

    return { status: "extracted", text };
  } catch {
    return { status: "not_extracted", text: "" };
  } finally {
    clearTimeout(timer);
  }
}

async function readText(format: FileFormat, bytes: Uint8Array) {
  switch (format) {
    case "pdf": {
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      try {
        const { text } = await extractPdfText(pdf, { mergePages: false });
        return (text as string[]).join("\n\n");
      } finally {
        await pdf.destroy();
      }
    }
    case "docx":
      return (await mammoth.extractRawText({ buffer: Buffer.from(bytes) }))
        .value;
    case "odt": {
      const zip = await JSZip.loadAsync(bytes);
      const content = await zip.file("content.xml")?.async("string");
      if (content === undefined) throw new Error("no content.xml");
      return xmlToText(content
        .replace(/<text:(p|h)\b[^>]*>/g, "\n")
        .replace(/<text:(tab|s)\b[^>]*\/>/g, " ")
        .replace(/<text:line-break\/>/g, "\n"));
    }
    case "html":
      return xmlToText(decodeCsv(bytes).text
        .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
        .replace(/<\/?(p|div|br|h\d|li|tr|section|article)\b[^>]*>/gi, "\n"));
    case "markdown":
    case "text":
      return decodeCsv(bytes).text;
  }
}

const ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ",
};

/** Markup stripped, entities read: only words remain. */
function xmlToText(markup: string): string {
  return markup.replace(/<!--[\s\S]*?-->/g, " ").replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === "#") {
        const code = name[1].toLowerCase() === "x"
          ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : " ";
      }
      return ownValue(ENTITIES, name.toLowerCase()) ?? entity;
    });
}

/**
 * Control characters out (excerpts use two of them as highlight marks),
 * blank runs shortened, and the length bounded.
 */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " ")
    .replace(/[ \t\u00a0]+/g, " ").replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n").trim().slice(0, MAX_TEXT_CHARS);
}

/** Stores the bytes under a random name in the uploads folder. */
export async function storeFile(
  uploadsDir: string, bytes: Uint8Array,
): Promise<string> {
  await fs.mkdir(uploadsDir, { recursive: true });
  const name = crypto.randomBytes(16).toString("hex");
  await fs.writeFile(path.join(uploadsDir, name), bytes, { flag: "wx" });

  return name;
}

/** The stored file; names are ours, but never leave the folder anyway. */
export async function readStoredFile(
  uploadsDir: string, name: string,
): Promise<Buffer> {
  if (!/^[0-9a-f]{32}$/.test(name)) throw new Error("bad stored file name");

  return fs.readFile(path.join(uploadsDir, name));
}

export async function removeStoredFile(uploadsDir: string, name: string) {
  if (!/^[0-9a-f]{32}$/.test(name)) return;
  await fs.rm(path.join(uploadsDir, name), { force: true });
}
