import type { Ctx } from "./domain/context.ts";
import { seedInitiatives } from "./features/initiatives/seed.ts";

/**
 * Loads the alliance's real data bundled in `data/` into an empty database.
 * Each step is idempotent, so a partial seed can simply be run again.
 */
export async function seedAllianceData(ctx: Ctx): Promise<void> {
  ctx.log.info({}, "loading the bundled alliance data");
  // After the directory: initiatives belong to its organisations.
  const initiatives = await seedInitiatives(ctx);
  ctx.log.info(initiatives, "example initiatives loaded");
}
