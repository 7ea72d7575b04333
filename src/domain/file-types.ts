/**
 * What an uploaded file is, read from its first bytes. The name it had on
 * the uploader's computer and the type the browser declared are not
 * trusted: an HTML page or an SVG renamed .png must never be kept as an
 * image, let alone served from the site's origin where its scripts run.
 */

/**
 * The types Atelier recognises, named by their media type. The order
 * matters: signatures come before the text test, which a PDF whose first
 * kilobytes hold no NUL byte would pass too.
 */
export const FILE_TYPES = [
  "application/pdf", "image/png", "image/jpeg", "image/webp",
  "application/zip", "text/plain",
] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** How far the text test looks: binaries show a NUL byte well before. */
const TEXT_PROBE_BYTES = 8192;

/** True when the whole signature is there; a cut one never matches. */
const has = (bytes: Uint8Array, signature: number[], at = 0) =>
  bytes.length >= at + signature.length
  && signature.every((b, i) => bytes[at + i] === b);

const LOOKS_LIKE: Record<FileType, (bytes: Uint8Array) => boolean> = {
  "application/pdf": (b) => has(b, [0x25, 0x50, 0x44, 0x46, 0x2d]), // %PDF-
  "image/png": (b) => has(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  "image/jpeg": (b) => has(b, [0xff, 0xd8, 0xff]),
  // A RIFF container (as WAV and AVI are) whose form is WEBP.
  "image/webp": (b) => has(b, [0x52, 0x49, 0x46, 0x46]) // RIFF
    && has(b, [0x57, 0x45, 0x42, 0x50], 8), // WEBP
  // Word (DOCX) and OpenDocument (ODT) texts are ZIP archives.
  "application/zip": (b) => has(b, [0x50, 0x4b, 0x03, 0x04]), // PK\3\4
  // Text in UTF-8 or a one-byte encoding never holds a NUL byte.
  "text/plain": (b) => !b.subarray(0, TEXT_PROBE_BYTES).includes(0),
};

/**
 * Which of the accepted types the file is, or null when none: each
 * feature says what it takes. An empty file is of no type, not even text.
 */
export function detectFileType<T extends FileType>(
  bytes: Uint8Array, accepted: readonly T[],
): T | null {
  if (bytes.length === 0) return null;
  const inOrder = [...accepted]
    .sort((a, b) => FILE_TYPES.indexOf(a) - FILE_TYPES.indexOf(b));

  return inOrder.find((type) => LOOKS_LIKE[type](bytes)) ?? null;
}

/**
 * The extensions a file served as each type is saved under; the first is
 * the one added when the name has none of them. A computer opens a saved
 * file by its extension, not by the type it was served as: a PDF named
 * "x.html" would open as a page.
 */
const EXTENSIONS: Record<string, readonly string[]> = {
  "application/pdf": ["pdf"],
  "image/png": ["png"],
  "image/jpeg": ["jpg", "jpeg"],
  "image/webp": ["webp"],
  "application/zip": ["zip"],
  "text/plain": ["txt"],
  "text/markdown": ["md", "markdown"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
    ["docx"],
  "application/vnd.oasis.opendocument.text": ["odt"],
};

/**
 * Characters that change how a name reads without showing: controls,
 * format characters (the right-to-left override turns "c‮txt.html" into
 * what looks like "chtml.txt"; zero-width marks), line separators and
 * lone surrogates.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * The name an uploaded file is shown and offered for download under: the
 * uploader's name without folders or hidden characters, whose extension
 * says what the file was found to be (`contentType`).
 */
export function fileNameFor(
  name: string, contentType: string, fallback = "fichier",
): string {
  let base = (name.split(/[\\/]/).pop() ?? "").replace(HIDDEN, "").trim()
    .slice(-150) || fallback;
  const type = contentType.split(";")[0].trim().toLowerCase();
  const extensions = Object.hasOwn(EXTENSIONS, type) ? EXTENSIONS[type] : [];
  const extension = /\.([^.]+)$/.exec(base)?.[1].toLowerCase() ?? "";
  if (extensions.length > 0 && !extensions.includes(extension)) {
    base = `${base}.${extensions[0]}`;
  }

  return base;
}
