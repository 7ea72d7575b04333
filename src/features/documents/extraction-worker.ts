/**
 * Reads the text of one deposited file, in a worker thread that
 * `extractFileText` starts for it and terminates when it takes too long:
 * a hostile PDF can keep a parser busy without ever yielding, which on the
 * main thread would stop the whole server. Loaded through
 * extraction-worker.mjs, which explains why.
 */
import { parentPort, workerData } from "node:worker_threads";
import type JSZip from "jszip";
import { cleanText, type FileFormat } from "./files.ts";
import { HTML_RULES, markupToText, ODT_RULES } from "./markup.ts";

export interface ExtractionInput {
  format: FileFormat;
  bytes: Uint8Array;
  /** Most bytes the entries of a DOCX or ODT archive may unpack to. */
  maxUnpackedBytes: number;
}

/** What the thread posts back: the cleaned text, or why it has none. */
export type ExtractionOutput = { text: string } | { error: string };

/**
 * Each format imports its own reader only: the thread starts anew for every
 * file, and loading them all would add to every deposit's wait.
 */
async function readText(input: ExtractionInput) {
  const { format, bytes } = input;
  switch (format) {
    case "pdf": {
      const { extractText: extractPdfText, getDocumentProxy } =
        await import("unpdf");
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      try {
        const { text } = await extractPdfText(pdf, { mergePages: false });
        return (text as string[]).join("\n\n");
      } finally {
        await pdf.destroy();
      }
    }
    case "docx": {
      await openArchive(bytes, input.maxUnpackedBytes);
      const { default: mammoth } = await import("mammoth");
      return (await mammoth.extractRawText({ buffer: Buffer.from(bytes) }))
        .value;
    }
    case "odt": {
      const zip = await openArchive(bytes, input.maxUnpackedBytes);
      const content = await zip.file("content.xml")?.async("string");
      if (content === undefined) throw new Error("no content.xml");
      return markupToText(content, ODT_RULES);
    }
    case "html": {
      const { decodeCsv } = await import("../directory/decode-csv.ts");
      return markupToText(decodeCsv(bytes).text, HTML_RULES);
    }
    case "markdown":
    case "text": {
      const { decodeCsv } = await import("../directory/decode-csv.ts");
      return decodeCsv(bytes).text;
    }
  }
}

/**
 * Opens a DOCX or ODT archive after unpacking every entry once, counting:
 * a few hundred kilobytes can unpack to gigabytes (a "zip bomb"), held in
 * buffers the thread's heap limit does not see. The sizes the archive
 * declares are not trusted; the bytes that come out are counted.
 */
async function openArchive(bytes: Uint8Array, maxBytes: number) {
  const { default: JSZip } = await import("jszip");
  const zip = await JSZip.loadAsync(bytes);
  let total = 0;
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    total += await countUnpacked(entry, maxBytes - total);
  }

  return zip;
}

/** The unpacked size of an entry, or an error as soon as it passes `max`. */
function countUnpacked(entry: JSZip.JSZipObject, max: number) {
  return new Promise<number>((resolve, reject) => {
    let size = 0;
    const stream = entry.nodeStream("nodebuffer");
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        stream.pause();
        reject(new Error("archive unpacks past the limit"));
      }
    }).on("error", reject).on("end", () => resolve(size));
  });
}

let output: ExtractionOutput;
try {
  // Cleaned here too: a 20 MB text file is long to go through.
  output = { text: cleanText(await readText(workerData as ExtractionInput)) };
} catch (error) {
  output = { error: String(error) };
}
parentPort!.postMessage(output);
