import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { invalid } from "../../domain/errors.ts";
import { checkImage, type UploadedImage } from "./images.ts";
import { idList } from "./sql.ts";
import {
  INITIATIVE_STAGES, POOLING_KINDS, type InitiativeLink,
  type InitiativeStage, type PoolingKind,
} from "./tables.ts";
import {
  resolveTerritories, splitTerritoryEntries,
} from "./territory-input.ts";
import { isUuid } from "../../domain/ids.ts";

export interface PoolingItemInput { kind: string; text: string }

/** What the create and edit forms send, as typed. */
export interface InitiativeInput {
  title: string;
  summary: string;
  description: string;
  carrierIds: string[];
  contactPersonId?: string | null;
  /** Territories as typed: ids, "Name (id)" or names, one per line. */
  territories: string;
  /** Ids chosen among the candidates of an ambiguous name. */
  territoryPicks?: string[];
  themes: string;
  stage: string;
  startsOn?: string;
  endsOn?: string;
  /** One link per line: "https://…" or "Label | https://…". */
  links: string;
  offers: PoolingItemInput[];
  needs: PoolingItemInput[];
  image?: UploadedImage | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseLinks(text: string, fields: Record<string, string>) {
  const links: InitiativeLink[] = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const [first, second] = line.split("|").map((s) => s.trim());
    const url = second ?? first;
    const label = second ? first : url;
    let parsed: URL | null = null;
    try { parsed = new URL(url); } catch { /* reported below */ }
    if (!parsed || !["http:", "https:"].includes(parsed.protocol)) {
      fields.links = `Lien invalide : « ${line.slice(0, 80)} » (une adresse `
        + "qui commence par https:// est attendue).";
      continue;
    }
    links.push({ label: label.slice(0, 120), url: parsed.toString() });
  }
  if (links.length > 10) fields.links = "Dix liens au plus.";

  return links;
}

function parseItems(
  items: PoolingItemInput[], prefix: "offer" | "need",
  fields: Record<string, string>,
) {
  const kept: { kind: PoolingKind; text: string }[] = [];
  for (const [i, item] of items.entries()) {
    const text = item.text.trim();
    if (!text) continue;
    if (!POOLING_KINDS.includes(item.kind as PoolingKind)) {
      fields[`${prefix}Kind_${i}`] = "Choisissez le type.";
    } else if (text.length > 300) {
      fields[`${prefix}Text_${i}`] = "300 caractères au plus.";
    } else {
      kept.push({ kind: item.kind as PoolingKind, text });
    }
  }

  return kept;
}

/** Reads and checks the form; throws `invalid` with every field's error. */
export async function validateInput(ctx: Ctx, input: InitiativeInput) {
  const fields: Record<string, string> = {};
  const title = input.title.trim();
  const summary = input.summary.trim();
  const description = input.description.trim();
  if (!title) fields.title = "Indiquez le titre de l'initiative.";
  else if (title.length > 150) fields.title = "150 caractères au plus.";
  if (summary.length > 500) fields.summary = "500 caractères au plus.";
  if (description.length > 20000) {
    fields.description = "20 000 caractères au plus.";
  }
  if (!INITIATIVE_STAGES.includes(input.stage as InitiativeStage)) {
    fields.stage = "Choisissez l'étape où en est l'initiative.";
  }
  const carrierIds = [...new Set(input.carrierIds.filter((id) => isUuid(id)))];
  if (carrierIds.length === 0) {
    fields.carrierIds = "Choisissez au moins une structure porteuse.";
  }
  const startsOn = input.startsOn?.trim() || null;
  const endsOn = input.endsOn?.trim() || null;
  if (startsOn && !DATE.test(startsOn)) fields.startsOn = "Date invalide.";
  if (endsOn && !DATE.test(endsOn)) fields.endsOn = "Date invalide.";
  if (startsOn && endsOn && DATE.test(startsOn) && DATE.test(endsOn)
    && endsOn < startsOn) {
    fields.endsOn = "La fin ne peut précéder le début.";
  }
  const themes = [...new Set(input.themes.split(/[,;\n]/)
    .map((t) => t.trim().toLowerCase()).filter(Boolean))];
  if (themes.length > 12) fields.themes = "Douze thèmes au plus.";
  const links = parseLinks(input.links, fields);
  const offers = parseItems(input.offers, "offer", fields);
  const needs = parseItems(input.needs, "need", fields);

  const entries = splitTerritoryEntries(input.territories);
  const places = await resolveTerritories(ctx.db, entries,
    input.territoryPicks ?? []);
  if (places.unknown.length > 0) {
    fields.territories = `Territoire inconnu : ${places.unknown.join(", ")}.`;
  } else if (places.ambiguous.length > 0) {
    fields.territories = "Plusieurs territoires portent ce nom : "
      + `${places.ambiguous.map((a) => a.entry).join(", ")}. Choisissez-le `
      + "ci-dessous.";
  }

  let contactPersonId = input.contactPersonId || null;
  if (contactPersonId && !isUuid(contactPersonId)) {
    fields.contactPersonId = "Personne inconnue.";
    contactPersonId = null;
  }
  if (input.image) {
    const message = checkImage(input.image);
    if (message) fields.image = message;
  }
  if (Object.keys(fields).length > 0) {
    throw invalid("Le formulaire contient des erreurs.", fields);
  }

  return {
    title, summary, description, carrierIds, startsOn, endsOn, themes,
    links, offers, needs, territoryIds: places.ids, contactPersonId,
    stage: input.stage as InitiativeStage,
  };
}

export type ValidInput = Awaited<ReturnType<typeof validateInput>>;

/**
 * The contact must act for a carrier. By default it is the author, or no
 * one when staff write for an organisation they are not part of.
 */
export async function checkContact(
  db: Db, valid: ValidInput, fallback: string | null,
) {
  const id = valid.contactPersonId ?? fallback;
  if (!id) return null;
  const [row] = await query<{ ok: boolean }>(db, sql`select exists (
    select 1 from memberships where person_id = ${id}
      and organisation_id = any(${idList(valid.carrierIds)}::uuid[])) as ok`);
  if (row.ok) return id;
  if (!valid.contactPersonId) return null;

  throw invalid("Le formulaire contient des erreurs.", { contactPersonId:
    "Le contact doit faire partie d'une structure porteuse." });
}

export async function checkCarriersExist(db: Db, ids: string[]) {
  const rows = await query<{ id: string }>(db, sql`select id from
    organisations where id = any(${idList(ids)}::uuid[])`);
  if (rows.length !== ids.length) {
    throw invalid("Le formulaire contient des erreurs.",
      { carrierIds: "Structure porteuse inconnue." });
  }
}

