import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Ctx } from "./domain/context.ts";
import { importOrganisationsCsv } from "./features/directory/csv-import.ts";
import { importIcs } from "./features/agenda/import.ts";
import { seedInitiatives } from "./features/initiatives/seed.ts";
import { seedLabels } from "./features/labels/seed.ts";
import { importDocumentsCsv } from "./features/documents/import.ts";

const DATA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)), "../data");

/**
 * Loads the alliance's real data bundled in `data/` into an empty database.
 * Each step is idempotent, so a partial seed can simply be run again.
 */
export async function seedAllianceData(ctx: Ctx): Promise<void> {
  ctx.log.info({}, "loading the bundled alliance data");
  const allies = await importOrganisationsCsv(ctx,
    fs.readFileSync(path.join(DATA_DIR, "allies.csv")));
  ctx.log.info({ created: allies.created, refused: allies.refused },
    "directory seeded");

  const agenda = await importIcs(ctx, fs.readFileSync(
    path.join(DATA_DIR, "agenda-2021-2023.ics"), "utf8"));
  ctx.log.info({ created: agenda.created, updated: agenda.updated,
    occurrences: agenda.occurrences, errors: agenda.errors.length },
  "agenda imported");
  await seedLabels(ctx);
  // After the directory: initiatives belong to its organisations.
  const initiatives = await seedInitiatives(ctx);
  ctx.log.info(initiatives, "example initiatives loaded");

  const library = await importDocumentsCsv(ctx,
    fs.readFileSync(path.join(DATA_DIR, "documents.csv")),
    (name) => readBeside(DATA_DIR, name));
  ctx.log.info({ created: library.created, refused: library.refused.length },
    "document base seeded");
}

/** A text file named by an import, read from the import's own folder. */
export function readBeside(dir: string, name: string): string | undefined {
  const file = path.join(dir, path.basename(name));

  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}
