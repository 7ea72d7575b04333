import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { Layout, type PageCtx } from "./layout.tsx";

export const FLASH_COOKIE = "atelier_flash";

/** The page context of a request; creates the CSRF token if needed. */
export function pageCtx(request: FastifyRequest, reply: FastifyReply): PageCtx {
  const flash = request.cookies[FLASH_COOKIE];
  if (flash) reply.clearCookie(FLASH_COOKIE, { path: "/" });

  return {
    actor: request.actor,
    csrfToken: reply.generateCsrf(),
    siteName: request.server.config.siteName,
    path: request.url.split("?")[0],
    flash: flash ? decodeURIComponent(flash) : undefined,
  };
}

/** Renders a whole page in the layout and sends it. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  body: (page: PageCtx) => VNode,
  status = 200,
) {
  const page = pageCtx(request, reply);
  const html = renderToString(<Layout page={page} title={title}>
    {body(page)}</Layout>);

  return reply.code(status).type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(`<!doctype html>${html}`);
}

/** POST-redirect-GET with a message shown once on the next page. */
export function redirectWithFlash(
  reply: FastifyReply, location: string, message: string,
) {
  reply.setCookie(FLASH_COOKIE, encodeURIComponent(message), {
    path: "/", httpOnly: true, sameSite: "lax", maxAge: 60,
  });

  return reply.redirect(location, 303);
}
