import type { FastifyRequest } from "fastify";
import { invalid } from "../domain/errors.ts";

/**
 * The NUL character (U+0000) has no place in any text Atelier keeps or
 * searches: PostgreSQL refuses it in text, so a value holding one would
 * fail deep in a query. Refused at the door instead, with a message that
 * names the field, whatever the route.
 */
const NUL = "\u0000";

/** The name of the first field whose value holds a NUL, if any. */
function fieldWithNul(value: unknown, name: string): string | null {
  if (typeof value === "string") return value.includes(NUL) ? name : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = fieldWithNul(item, name);
      if (found !== null) return found;
    }
  } else if (value && typeof value === "object" && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) return "?";
      const found = fieldWithNul(item, name ? `${name}.${key}` : key);
      if (found !== null) return found;
    }
  }

  return null;
}

const refusal = (name: string) => invalid(`Le paramètre « ${name} » `
  + "contient un caractère nul, qui n'est permis dans aucun champ.");

/**
 * Refuses a request whose address, query string or form holds a NUL. A
 * multipart form is read by its route as it arrives: its fields are
 * checked as they are read, files excepted, whose bytes may hold anything.
 */
export async function refuseNulCharacters(request: FastifyRequest) {
  for (const value of [request.params, request.query, request.body]) {
    const name = fieldWithNul(value, "");
    if (name !== null) throw refusal(name || "?");
  }
  if (request.isMultipart()) {
    const parts = request.parts;
    request.parts = async function* checkedParts(options) {
      for await (const part of parts.call(request, options)) {
        if (part.type === "field"
          && fieldWithNul(part.value, part.fieldname) !== null) {
          throw refusal(part.fieldname);
        }
        yield part;
      }
    } as typeof request.parts;
  }
}
