import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { invalid } from "../../domain/errors.ts";
import { detectFileType, type FileType } from "../../domain/file-types.ts";
import type {
  ExtractionInput, ExtractionOutput,
} from "./extraction-worker.ts";

/** Largest file an ally may deposit. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Longest text kept for search: a tsvector holds at most 1 MB. */
export const MAX_TEXT_CHARS = 300_000;

/**
 * Most bytes the entries of a DOCX or ODT file may unpack to: a long
 * report's XML is a few megabytes.
 */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

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
 * without text layer or one that takes too long or too much memory is
 * "not extracted", and the deposit goes on without its text.
 */
export async function extractFileText(
  format: FileFormat, bytes: Uint8Array, timeoutMs = EXTRACTION_TIMEOUT_MS,
  maxUnpackedBytes = MAX_UNPACKED_BYTES,
): Promise<Extraction> {
  try {
    const text = await readText({ format, bytes, maxUnpackedBytes },
      timeoutMs);
    if (!/[\p{L}\p{N}]/u.test(text)) return { status: "not_extracted", text: "" };

    return { status: "extracted", text };
  } catch {
    return { status: "not_extracted", text: "" };
  }
}

/**
 * Heap given to reading one file's text: past it the thread is stopped, not
 * the server. Byte buffers (a stream a parser inflates) live outside the
 * heap; the time limit bounds those.
 */
export const EXTRACTION_MEMORY_MB = 512;

const EXTRACTION_WORKER = new URL("./extraction-worker.mjs", import.meta.url);

/**
 * The cleaned text of a file, read in a worker thread of its own. Parsers
 * work without yielding: on the main thread a pathological PDF would stop
 * every request and no timer could interrupt it. A thread keeps the server
 * answering, and terminating it stops the parse wherever it is. One thread
 * a file, ended after: deposits are rare, and nothing outlives a parse.
 */
function readText(
  { format, bytes, maxUnpackedBytes }: ExtractionInput, timeoutMs: number,
): Promise<string> {
  // Handed over as a copy: the caller still stores these bytes.
  const copy = new Uint8Array(bytes);
  const input: ExtractionInput = { format, bytes: copy, maxUnpackedBytes };
  const worker = new Worker(EXTRACTION_WORKER, {
    workerData: input, transferList: [copy.buffer],
    resourceLimits: { maxOldGenerationSizeMb: EXTRACTION_MEMORY_MB },
  });
  let timer: NodeJS.Timeout | undefined;

  return new Promise<string>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    worker.once("message", (output: ExtractionOutput) => {
      if ("text" in output) resolve(output.text);
      else reject(new Error(output.error));
    });
    // Out of memory, or the thread could not start.
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`exited with ${code}`)));
  }).finally(() => {
    clearTimeout(timer);
    void worker.terminate();
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
