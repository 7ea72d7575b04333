import type { FastifyRequest } from "fastify";
import { DomainError } from "../../domain/errors.ts";
import { findOrganisationIdByName } from "./carriers.ts";
import { MAX_IMAGE_BYTES, type UploadedImage } from "./images.ts";
import type { InitiativeDetail } from "./initiative-detail.ts";
import type { InitiativeInput } from "./initiative-input.ts";
import { territoryEntry } from "./territory-input.ts";
import type { FormValues } from "./form-views.tsx";

type Fields = Record<string, string[]>;

/**
 * Reads the initiative form, sent as multipart (with its image) or as an
 * ordinary form. The image is cut at the size limit, and reported so.
 */
export async function readForm(request: FastifyRequest) {
  // Keyed by the names the form sends: without a prototype, a field named
  // "constructor" or "__proto__" is a field like any other.
  const fields: Fields = Object.create(null);
  let image: UploadedImage | null = null;
  const add = (name: string, value: string) => {
    (fields[name] ??= []).push(value);
  };

  if (request.isMultipart()) {
    const parts = request.parts({
      limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 200 },
      throwFileSizeLimit: false,
    } as any);
    for await (const part of parts) {
      if (part.type === "file") {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        const content = Buffer.concat(chunks);
        if (part.filename || content.length > 0) {
          image = { content, truncated: part.file.truncated };
        }
      } else {
        add(part.fieldname, String(part.value ?? ""));
      }
    }
  } else {
    for (const [name, value] of Object.entries(
      (request.body ?? {}) as Record<string, string | string[]>)) {
      for (const v of Array.isArray(value) ? value : [value]) add(name, v);
    }
  }

  return { fields, image };
}

const one = (fields: Fields, name: string) => fields[name]?.[0] ?? "";

/** The form's values as typed, to check them or show them again. */
export function valuesOf(fields: Fields): FormValues {
  const items = (prefix: string) => {
    const list: { kind: string; text: string }[] = [];
    for (let n = 0; n < 12; n += 1) {
      const text = one(fields, `${prefix}Text_${n}`);
      if (text.trim()) list.push({ kind: one(fields, `${prefix}Kind_${n}`), text });
    }

    return list;
  };

  return {
    title: one(fields, "title"), summary: one(fields, "summary"),
    description: one(fields, "description"),
    carrierIds: fields.carrierIds ?? [],
    contactPersonId: one(fields, "contactPersonId"),
    territories: one(fields, "territories"), themes: one(fields, "themes"),
    stage: one(fields, "stage"), startsOn: one(fields, "startsOn"),
    endsOn: one(fields, "endsOn"), links: one(fields, "links"),
    offers: items("offer"), needs: items("need"),
    otherCarrier: one(fields, "otherCarrier"),
  };
}

/** What the use case takes; staff's other carrier is found by name. */
export async function inputOf(
  request: FastifyRequest, values: FormValues, fields: Fields,
  image: UploadedImage | null,
): Promise<InitiativeInput> {
  const carrierIds = [...values.carrierIds];
  if (values.otherCarrier.trim()) {
    const id = await findOrganisationIdByName(request.ctx().db,
      values.otherCarrier);
    if (!id) {
      throw new DomainError("invalid", "Le formulaire contient des erreurs.",
        { otherCarrier: "Aucune structure de l'annuaire ne porte ce nom." });
    }
    carrierIds.push(id);
  }

  return {
    ...values, carrierIds, territoryPicks: fields.territoryPicks ?? [],
    contactPersonId: values.contactPersonId || null, image,
  };
}

/** The form filled with a saved initiative, for an edit. */
export function detailValues(detail: InitiativeDetail): FormValues {
  const i = detail.initiative;

  return {
    title: i.title, summary: i.summary, description: i.description,
    carrierIds: detail.carriers.map((c) => c.id),
    contactPersonId: i.contactPersonId ?? "",
    territories: detail.territories.map(territoryEntry).join("\n"),
    themes: i.themes.join(", "), stage: i.stage,
    startsOn: i.startsOn ?? "", endsOn: i.endsOn ?? "",
    links: i.links.map((l) => l.label === l.url ? l.url
      : `${l.label} | ${l.url}`).join("\n"),
    offers: detail.offers, needs: detail.needs, otherCarrier: "",
  };
}
