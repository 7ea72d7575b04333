import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../config.ts";
import { detectFileType } from "../../domain/file-types.ts";

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** An uploaded file as the form gives it. */
export interface UploadedImage {
  content: Buffer;
  /** True when the file was cut at the size limit. */
  truncated: boolean;
}

/** The image types taken, with the extension their stored copy gets. */
const EXTENSIONS = {
  "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp",
} as const;
const IMAGE_TYPES = Object.keys(EXTENSIONS) as (keyof typeof EXTENSIONS)[];

/**
 * The image type read from the file's first bytes, never from its name or
 * declared type: an SVG or an HTML page renamed .png is not an image here.
 */
export function detectImageType(content: Buffer) {
  const type = detectFileType(content, IMAGE_TYPES);

  return type ? { type, ext: EXTENSIONS[type] } : null;
}

/** Checks an upload; returns a French message when it is refused. */
export function checkImage(image: UploadedImage): string | null {
  if (image.truncated || image.content.length > MAX_IMAGE_BYTES) {
    return "L'image dépasse 2 Mo : choisissez un fichier plus léger.";
  }
  if (!detectImageType(image.content)) {
    return "L'image doit être au format PNG, JPEG ou WebP.";
  }

  return null;
}

export const imagesDir = (config: Config) =>
  path.join(config.uploadsDir, "initiatives");

/** Stores a checked image under a random name; returns name and type. */
export async function storeImage(config: Config, content: Buffer) {
  const type = detectImageType(content)!;
  const file = `${crypto.randomBytes(16).toString("hex")}.${type.ext}`;
  await fs.promises.mkdir(imagesDir(config), { recursive: true });
  await fs.promises.writeFile(path.join(imagesDir(config), file), content,
    { flag: "wx" });

  return { file, contentType: type.type };
}

/** Only names this module made can be read: no path ever comes through. */
export const isImageFileName = (name: string) =>
  /^[0-9a-f]{32}\.(png|jpg|webp)$/.test(name);

export async function removeImage(config: Config, file: string) {
  if (!isImageFileName(file)) return;
  await fs.promises.rm(path.join(imagesDir(config), file), { force: true });
}
