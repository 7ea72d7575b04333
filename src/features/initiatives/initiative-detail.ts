import { eq, sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { notFound } from "../../domain/errors.ts";
import { findCarriers, isCarrierOf, type CarrierRef } from "./carriers.ts";
import { isUuid } from "../../domain/ids.ts";
import {
  canEditInitiative, canModerateInitiatives, canSeeInitiative,
} from "./policy.ts";
import {
  initiatives, initiativeTerritories, poolingItems, type PoolingKind,
} from "./tables.ts";
import {
  findTerritoriesByIds, type TerritoryRef,
} from "./territory-input.ts";

export type Initiative = typeof initiatives.$inferSelect;

export interface PoolingItem { direction: string; kind: PoolingKind; text: string }

export interface InitiativeDetail {
  initiative: Initiative;
  carriers: CarrierRef[];
  territories: TerritoryRef[];
  offers: PoolingItem[];
  needs: PoolingItem[];
  contact: { id: string; fullName: string; email: string | null } | null;
  isCarrier: boolean;
  canEdit: boolean;
  canModerate: boolean;
}

async function detailOf(ctx: Ctx, initiative: Initiative) {
  const isCarrier = await isCarrierOf(ctx.db, ctx.actor, initiative.id);
  if (!canSeeInitiative(ctx.actor, initiative.status, isCarrier)) {
    throw notFound();
  }
  const territoryRows = await ctx.db.select().from(initiativeTerritories)
    .where(eq(initiativeTerritories.initiativeId, initiative.id));
  const items = await ctx.db.select().from(poolingItems)
    .where(eq(poolingItems.initiativeId, initiative.id))
    .orderBy(poolingItems.position);
  const signedIn = ctx.actor.kind === "person";
  const staff = canModerateInitiatives(ctx.actor);
  const [contact] = initiative.contactPersonId
    ? await query<{ id: string; fullName: string; email: string | null;
      visibility: string }>(ctx.db, sql`select id, full_name as "fullName",
      email, email_visibility as visibility from people
      where id = ${initiative.contactPersonId}`)
    : [];
  const emailShown = contact && (contact.visibility === "public"
    || (contact.visibility === "allies" && signedIn) || staff);
  const pick = (direction: string) => items
    .filter((i) => i.direction === direction)
    .map((i) => ({ direction, kind: i.kind, text: i.text }));

  const detail: InitiativeDetail = {
    initiative,
    carriers: await findCarriers(ctx.db, initiative.id),
    territories: await findTerritoriesByIds(ctx.db,
      territoryRows.map((t) => t.territoryId)),
    offers: pick("offer"),
    needs: pick("need"),
    contact: contact ? { id: contact.id, fullName: contact.fullName,
      email: emailShown ? contact.email : null } : null,
    isCarrier,
    canEdit: canEditInitiative(ctx.actor, isCarrier),
    canModerate: staff,
  };

  return detail;
}

/** An initiative by its slug, if the actor may see it. */
export async function getInitiativeBySlug(ctx: Ctx, slug: string) {
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(eq(initiatives.slug, slug));
  if (!initiative) throw notFound();

  return detailOf(ctx, initiative);
}

export async function getInitiative(ctx: Ctx, id: string) {
  if (!isUuid(id)) throw notFound();
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(eq(initiatives.id, id));
  if (!initiative) throw notFound();

  return detailOf(ctx, initiative);
}
