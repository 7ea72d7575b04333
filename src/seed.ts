import type { Ctx } from "./domain/context.ts";
import { seedLabels } from "./features/labels/seed.ts";

/**
 * Loads the alliance's real data bundled in `data/` into an empty database.
 * Each step is idempotent, so a partial seed can simply be run again.
 */
export async function seedAllianceData(ctx: Ctx): Promise<void> {
  ctx.log.info({}, "loading the bundled alliance data");
  await seedLabels(ctx);
}
