import path from "node:path";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import multipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { Actor, Ctx } from "../domain/context.ts";
import { findSessionActor, SESSION_COOKIE } from "../features/accounts/sessions.ts";
import {
  handleClientError, handleError, handleNotFound,
} from "./errors.tsx";
import { refuseNulCharacters } from "./input.ts";
import { routes } from "./routes.ts";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    database: Database;
  }
  interface FastifyRequest {
    actor: Actor;
    /** The use-case context of this request. */
    ctx(): Ctx;
  }
}

const PUBLIC_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)), "../../public");

export interface AppOptions {
  config: Config;
  database: Database;
  logger?: boolean | object;
  /** Fixed clock for tests. */
  now?: () => Date;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const now = options.now ?? (() => new Date());
  const https = config.baseUrl.startsWith("https:");
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    clientErrorHandler: handleClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate("config", config);
  app.decorate("database", database);
  app.decorateRequest("actor", null as any);
  app.decorateRequest("ctx", function (this: any): Ctx {
    return { actor: this.actor, db: database.db, log: this.log, config, now };
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: https,
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, {
    limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 20 },
  });
  await app.register(csrf, {
    cookieOpts: { path: "/", httpOnly: true, sameSite: "lax", secure: https },
    // Multipart forms carry their token in the query string, since their
    // body is read by the handler itself.
    getToken: (request: any) => request.body?._csrf ?? request.query?._csrf
      ?? request.headers["x-csrf-token"],
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: `${config.siteName} API`,
        description: "Données publiques de l'Alliance : annuaire et agenda.",
        version: "1",
      },
      servers: [{ url: config.baseUrl }],
    },
    hideUntagged: true,
  });
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR, prefix: "/assets/", maxAge: "1h",
  });

  app.addHook("onRequest", async (request) => {
    request.actor = await findSessionActor(
      database.db, request.cookies[SESSION_COOKIE], now());
  });
  // Before the route's schema reads them: a NUL would only fail later, in
  // the database.
  app.addHook("preValidation", refuseNulCharacters);
  // Every state-changing request carries a valid CSRF token.
  app.addHook("preHandler", (request, reply, done) => {
    if (request.method === "GET" || request.method === "HEAD") return done();

    return app.csrfProtection(request, reply, done);
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  for (const plugin of routes) await app.register(plugin);

  return app;
}
