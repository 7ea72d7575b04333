/**
 * Reads the text of one deposited file, in a worker thread that
 * `extractFileText` starts for it and terminates when it takes too long:
 * a hostile PDF can keep a parser busy without ever yielding, which on the
 * main thread would stop the whole server. Loaded through
 * extraction-worker.mjs, which explains why.
 */
import { parentPort, workerData } from "node:worker_threads";
import { cleanText, type FileFormat } from "./files.ts";

export interface ExtractionInput {
  format: FileFormat;
  bytes: Uint8Array;
}

/** What the thread posts back: the cleaned text, or why it has none. */
export type ExtractionOutput = { text: string } | { error: string };

/**
 * Each format imports its own reader only: the thread starts anew for every
 * file, and loading them all would add to every deposit's wait.
 */
async function readText(format: FileFormat, bytes: Uint8Array) {
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
      const { default: mammoth } = await import("mammoth");
      return (await mammoth.extractRawText({ buffer: Buffer.from(bytes) }))
        .value;
    }
    case "odt": {
      const { default: JSZip } = await import("jszip");
      const zip = await JSZip.loadAsync(bytes);
      const content = await zip.file("content.xml")?.async("string");
      if (content === undefined) throw new Error("no content.xml");
      return xmlToText(content
        .replace(/<text:(p|h)\b[^>]*>/g, "\n")
        .replace(/<text:(tab|s)\b[^>]*\/>/g, " ")
        .replace(/<text:line-break\/>/g, "\n"));
    }
    case "html": {
      const { decodeCsv } = await import("../directory/decode-csv.ts");
      return xmlToText(decodeCsv(bytes).text
        .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
        .replace(/<\/?(p|div|br|h\d|li|tr|section|article)\b[^>]*>/gi, "\n"));
    }
    case "markdown":
    case "text": {
      const { decodeCsv } = await import("../directory/decode-csv.ts");
      return decodeCsv(bytes).text;
    }
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
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
}

const { format, bytes } = workerData as ExtractionInput;
let output: ExtractionOutput;
try {
  // Cleaned here too: a 20 MB text file is long to go through.
  output = { text: cleanText(await readText(format, bytes)) };
} catch (error) {
  output = { error: String(error) };
}
parentPort!.postMessage(output);
