import iconv from "iconv-lite";
import { invalid } from "../../domain/errors.ts";

// Apart from the CSV import so that a document's text extraction, which
// runs in a thread of its own for every file, loads no database code.

/**
 * Text of an uploaded file: UTF-8 when the bytes are valid UTF-8 (with or
 * without BOM), else Windows-1252, what French spreadsheets save. UTF-16
 * and files that are no text at all are refused with what to do instead.
 */
export function decodeCsv(bytes: Uint8Array) {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe)
    || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw utf16();
  const sample = bytes.subarray(0, 4096);
  let nuls = 0;
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) nuls++;
    else if (byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 13) {
      controls++;
    }
  }
  // UTF-16 text has a NUL beside nearly every Latin letter.
  if (nuls > sample.length / 4) throw utf16();
  if (nuls > 0 || controls > sample.length / 100) {
    throw invalid("Ce fichier n'est pas un tableur CSV lisible.");
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ""), encoding: "utf-8" as const };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "win1252"),
      encoding: "windows-1252" as const };
  }
}

const utf16 = () => invalid("Le fichier est en UTF-16 : enregistrez-le en "
  + "CSV UTF-8 ou Windows-1252.");
