import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { createInitiative, slugify } from "./create-initiative.ts";
import { publishInitiative } from "./publication.ts";

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)),
  "../../../data/initiatives.json");

interface SeedInitiative {
  organisation: string;
  title: string;
  summary: string;
  description: string;
  territories: string[];
  themes: string[];
  stage: string;
  offers: { kind: string; text: string }[];
  needs: { kind: string; text: string }[];
}

/**
 * Publishes the example initiatives of `data/initiatives.json` for the
 * allies of the directory. Runs after the directory import: an
 * organisation that is not there is skipped, and an initiative already
 * loaded is left alone, so the step can run again.
 */
export async function seedInitiatives(ctx: Ctx, file = FILE) {
  const data = JSON.parse(fs.readFileSync(file, "utf8")) as {
    initiatives: SeedInitiative[] };
  let loaded = 0;

  for (const item of data.initiatives) {
    const [organisation] = await query<{ id: string }>(ctx.db, sql`
      select id from organisations where name_key = atelier_fold(${
        item.organisation}) order by created_at limit 1`);
    const [existing] = await query<{ id: string }>(ctx.db, sql`
      select id from initiatives where slug = ${slugify(item.title)}`);
    if (!organisation || existing) continue;

    const created = await createInitiative(ctx, {
      title: item.title, summary: item.summary,
      description: item.description, carrierIds: [organisation.id],
      territories: item.territories.join("\n"), themes: item.themes.join(", "),
      stage: item.stage, links: "", offers: item.offers, needs: item.needs,
    });
    await publishInitiative(ctx, created.id);
    loaded += 1;
  }

  return { loaded, skipped: data.initiatives.length - loaded };
}
