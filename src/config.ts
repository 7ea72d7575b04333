import path from "node:path";

/** Everything Atelier reads from its environment, parsed once at start. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database and of uploaded files. */
  dataDir: string;
  /** Folder of uploaded files, outside the database folder. */
  uploadsDir: string;
  /** "alliance" loads the bundled alliance data into an empty database. */
  seed: "alliance" | "none";
  /** smtp:// or smtps:// URL; without it mail is written to the log. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Public address of the site, used in e-mails and calendar files. */
  baseUrl: string;
  siteName: string;
  /** Trust X-Forwarded-* headers from a reverse proxy. */
  trustProxy: boolean;
  logLevel: string;
  /** Background workers (mail outbox, reminders); off in most tests. */
  runWorkers: boolean;
  /** Search results kept per node until the base changes; 0 keeps none. */
  searchCacheSize: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  const seed = env.ATELIER_SEED === "none" ? "none" : "alliance";
  const dataDir = path.resolve(env.ATELIER_DATA_DIR ?? "./var");

  return {
    port,
    host: env.HOST ?? "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    uploadsDir: path.resolve(env.ATELIER_UPLOADS_DIR
      ?? path.join(dataDir, "uploads")),
    seed,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? "Atelier <atelier@localhost>",
    baseUrl: (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ""),
    siteName: env.ATELIER_SITE_NAME ?? "Atelier",
    trustProxy: env.TRUST_PROXY === "1" || env.TRUST_PROXY === "true",
    logLevel: env.LOG_LEVEL ?? "info",
    runWorkers: env.ATELIER_WORKERS !== "0",
    searchCacheSize: Math.max(0,
      Math.trunc(Number(env.ATELIER_SEARCH_CACHE ?? 1000)) || 0),
  };
}
