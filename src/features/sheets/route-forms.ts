import type { FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../../domain/errors.ts";
import type { PageCtx } from "../../web/layout.tsx";
import { sendPage } from "../../web/render.tsx";
import type { FormState } from "./views.tsx";

export type Body = Record<string, string | string[] | undefined>;
export type Slug = { Params: { slug: string } };

export const one = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v[0] : v) ?? "";
export const many = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v : v ? [v] : [];

/**
 * Runs a form's use case; on invalid input, renders the page again with
 * what was typed and the French messages (400), so nothing is lost. A
 * conflict (someone saved in between) is shown the same way.
 */
export async function handleForm(
  reply: FastifyReply, run: () => Promise<unknown>,
  rerender: (form: FormState) => Promise<unknown>, success: () => unknown,
) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof DomainError)
      || (error.code !== "invalid" && error.code !== "conflict")) {
      throw error;
    }
    reply.code(error.code === "invalid" ? 400 : 409);

    return rerender({ error: { message: error.message,
      fields: error.fields } });
  }

  return success();
}

/** A page sent with the status already set: 400 or 409 after handleForm. */
export const send = (
  request: FastifyRequest, reply: FastifyReply, title: string,
  body: (page: PageCtx) => any,
) => sendPage(request, reply, title, body, reply.statusCode);
