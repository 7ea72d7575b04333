import { loadConfig } from "./config.ts";
import { DomainError } from "./domain/errors.ts";
import { openReadyDatabase, operatorCtx } from "./boot.ts";
import { seedAllianceData } from "./seed.ts";
import { startWorkers } from "./workers.ts";
import { buildApp } from "./web/app.ts";
import { isDatabaseEmpty } from "./db/empty.ts";
import { ensureFirstStaffLink } from "./features/accounts/first-staff.ts";

/** `npm start`: migrate, seed an empty database, serve, run the workers. */
async function main() {
  const config = loadConfig();
  const database = await openReadyDatabase(config);
  const ctx = operatorCtx(config, database);
  if (config.seed === "alliance" && await isDatabaseEmpty(database.db)) {
    await seedAllianceData(ctx);
  }

  const app = await buildApp({ config, database });
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ database: database.engine, url: config.baseUrl },
    "Atelier is ready");
  const firstStaffUrl = await ensureFirstStaffLink(ctx);
  if (firstStaffUrl) {
    app.log.warn({ url: firstStaffUrl },
      "no staff account yet: open this link to create the first one");
  }
  const stopWorkers = config.runWorkers ? startWorkers(ctx, app.log) : () => {};

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, async () => {
      stopWorkers();
      await app.close();
      await database.close();
      process.exit(0);
    });
  }
}

main().catch((error) => {
  // A refusal (the data folder already in use) is said plainly.
  if (error instanceof DomainError) console.error(`Erreur : ${error.message}`);
  else console.error(error);
  process.exit(1);
});
