import http from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DomainError, type ErrorCode } from "../domain/errors.ts";
import { sendPage } from "./render.tsx";

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

const TITLES: Record<number, string> = {
  400: "Demande invalide",
  401: "Connexion requise",
  403: "Accès refusé",
  404: "Page introuvable",
  409: "Conflit",
  413: "Fichier trop volumineux",
  429: "Trop de tentatives",
  500: "Erreur du serveur",
};

const wantsJson = (request: FastifyRequest) =>
  request.url.startsWith("/api/") ||
  (request.headers.accept ?? "").startsWith("application/json");

interface SchemaError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, any>;
}

/**
 * A French sentence for a failed schema check, naming the parameter as
 * the address or the form spells it.
 */
export function describeSchemaError(error: SchemaError): string {
  const params = error.params ?? {};
  const name = params.missingProperty
    ?? (error.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
  const subject = `Le paramètre « ${name || "?"} »`;
  switch (error.keyword) {
    case "maxLength":
      return `${subject} est trop long (${params.limit} caractères au plus).`;
    case "minLength":
      return `${subject} est trop court (${params.limit} caractère(s) au `
        + "moins).";
    case "type":
      return params.type === "integer" || params.type === "number"
        ? `${subject} doit être un nombre.`
        : `${subject} est invalide.`;
    case "minimum":
    case "exclusiveMinimum":
      return `${subject} est trop petit (au moins ${params.limit}).`;
    case "maximum":
    case "exclusiveMaximum":
      return `${subject} est trop grand (au plus ${params.limit}).`;
    case "enum":
    case "const":
    case "anyOf":
    case "oneOf":
      return `${subject} n'est pas une valeur permise.`;
    case "required":
      return `${subject} est obligatoire.`;
    default:
      return `${subject} est invalide.`;
  }
}

/**
 * The one place where failures become HTTP answers. Domain errors keep
 * their French message; anything unexpected is logged and shown as a
 * generic message, never with its details.
 */
export function handleError(
  error: FastifyError | DomainError, request: FastifyRequest,
  reply: FastifyReply,
) {
  let status: number;
  let code: string;
  let message: string;
  // Where to go back to after a refused address: the page without its
  // query, which caused the refusal.
  let back: string | undefined;

  if (error instanceof DomainError && error.code === "forbidden"
    && request.actor?.kind === "visitor") {
    // Refused to someone not signed in: signing in may be all it takes,
    // so every page says so the same way (a sign-in page, not a refusal).
    status = 401;
    code = "unauthenticated";
    message = "Veuillez vous connecter.";
  } else if (error instanceof DomainError) {
    status = STATUS[error.code];
    code = error.code;
    message = error.message;
  } else if (error.code?.startsWith("FST_CSRF")) {
    status = 403;
    code = "csrf";
    message = "Le formulaire a expiré. Rechargez la page et recommencez.";
  } else if (error.validation) {
    status = 400;
    code = "invalid";
    // A choice among values (anyOf) reports each branch, then itself:
    // the last error of each parameter says it best.
    const last = new Map(error.validation.map((e: SchemaError) =>
      [(e.params?.missingProperty ?? e.instancePath) as string, e]));
    message = [...last.values()].map(describeSchemaError).join(" ");
    back = request.url.split("?")[0];
  } else if (error.statusCode === 429) {
    status = 429;
    code = "rate_limited";
    message = "Trop de tentatives. Réessayez dans quelques minutes.";
  } else if (error.statusCode && error.statusCode < 500) {
    status = error.statusCode;
    code = "invalid";
    message = status === 413 ? "Le fichier est trop volumineux."
      : "La demande n'a pas pu être traitée.";
  } else {
    status = 500;
    code = "internal";
    message = "Une erreur inattendue est survenue. L'équipe a été prévenue.";
    request.log.error({ err: error }, "request failed");
  }

  if (status === 401 && !wantsJson(request) && request.method === "GET") {
    const next = encodeURIComponent(request.url);
    return reply.redirect(`/connexion?suite=${next}`, 303);
  }
  if (wantsJson(request)) {
    return reply.code(status).send({ error: code, message });
  }

  return sendPage(request, reply, TITLES[status] ?? "Erreur", () => (
    <section>
      <h1>{TITLES[status] ?? "Erreur"}</h1>
      <p>{message}</p>
      {back && back !== "/" && <p><a href={back}>Revenir à la page</a></p>}
      <p><a href="/">Retour à l'accueil</a></p>
    </section>
  ), status);
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return handleError(new DomainError("not_found", "Page introuvable."),
    request, reply);
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "La demande est trop volumineuse : ses en-têtes "
    + "(souvent des cookies) dépassent la taille permise. Effacez les cookies "
    + "de ce site, puis réessayez."],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "La demande a pris trop de temps. "
    + "Réessayez."],
};

/**
 * Answers a request the HTTP parser refused before Atelier could read it
 * (headers too large, timeout): nothing is known of it, not even whether
 * it wanted JSON, so a short French page is written on the socket.
 */
export function handleClientError(error: NodeJS.ErrnoException,
  socket: Duplex) {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, message] = CLIENT_ERRORS[error.code ?? ""]
    ?? [400, "La demande n'a pas pu être lue."];
  const body = "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
    + "<title>Demande refusée · Atelier</title></head><body><main>"
    + `<h1>Demande refusée</h1><p>${message}</p>`
    + "<p><a href=\"/\">Retour à l'accueil</a></p></main></body></html>";
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n`
      + "Content-Type: text/html; charset=utf-8\r\n"
      + `Content-Length: ${Buffer.byteLength(body)}\r\n`
      + "Connection: close\r\n\r\n" + body);
  }
  socket.destroy(error);
}
