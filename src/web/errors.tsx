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

  if (error instanceof DomainError) {
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
    message = `Paramètres invalides : ${error.message}`;
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
      <p><a href="/">Retour à l'accueil</a></p>
    </section>
  ), status);
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return handleError(new DomainError("not_found", "Page introuvable."),
    request, reply);
}
