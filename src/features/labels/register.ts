import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { initiativeCarriers, initiatives } from "../initiatives/tables.ts";
import { labelGrants, labelProposals, labels } from "./tables.ts";

/** Initiatives that may appear in public: published or archived. */
const isPublic = inArray(initiatives.status, ["published", "archived"]);

export interface RegisterEntry {
  grantId: string;
  labelId: string;
  labelName: string;
  labelSlug: string;
  initiativeId: string;
  initiativeTitle: string;
  initiativeSlug: string;
  initiativeSummary: string;
  carriers: string[];
  grantedAt: Date;
  withdrawnAt: Date | null;
  withdrawalReason: string | null;
  reasons: string;
}

/**
 * The public register: every label granted to a public initiative, current
 * ones first, then the withdrawn ones with their reason.
 */
export async function findRegister(
  ctx: Ctx, filter: { labelSlug?: string; includeWithdrawn?: boolean } = {},
): Promise<RegisterEntry[]> {
  const rows = await ctx.db.select({
    grantId: labelGrants.id, labelId: labels.id, labelName: labels.name,
    labelSlug: labels.slug, initiativeId: initiatives.id,
    initiativeTitle: initiatives.title, initiativeSlug: initiatives.slug,
    initiativeSummary: initiatives.summary,
    carriers: sql<string[]>`coalesce((select array_agg(o.name order by o.name)
      from initiative_carriers ic join organisations o
        on o.id = ic.organisation_id
      where ic.initiative_id = ${initiatives.id}), '{}')`,
    grantedAt: labelGrants.grantedAt, withdrawnAt: labelGrants.withdrawnAt,
    withdrawalReason: labelGrants.withdrawalReason,
    reasons: labelProposals.reasons,
  }).from(labelGrants)
    .innerJoin(labels, eq(labels.id, labelGrants.labelId))
    .innerJoin(initiatives, eq(initiatives.id, labelGrants.initiativeId))
    .innerJoin(labelProposals, eq(labelProposals.id, labelGrants.proposalId))
    .where(and(isPublic,
      filter.labelSlug ? eq(labels.slug, filter.labelSlug) : undefined,
      filter.includeWithdrawn === false
        ? isNull(labelGrants.withdrawnAt) : undefined))
    .orderBy(sql`${labelGrants.withdrawnAt} is not null`,
      desc(labelGrants.grantedAt));

  return rows.map((r) => ({ ...r, carriers: r.carriers ?? [] }));
}

export interface HeldLabel {
  grantId: string;
  labelId: string;
  labelName: string;
  labelSlug: string;
  grantedAt: Date;
}

const held = {
  grantId: labelGrants.id, labelId: labels.id, labelName: labels.name,
  labelSlug: labels.slug, grantedAt: labelGrants.grantedAt,
};

/** The labels an initiative holds now, for its page. */
export async function findLabelsOfInitiative(
  ctx: Ctx, initiativeId: string,
): Promise<HeldLabel[]> {
  return ctx.db.select(held).from(labelGrants)
    .innerJoin(labels, eq(labels.id, labelGrants.labelId))
    .where(and(eq(labelGrants.initiativeId, initiativeId),
      isNull(labelGrants.withdrawnAt)))
    .orderBy(asc(labels.name));
}

/**
 * The labels held now by the public initiatives an organisation carries,
 * for its profile in the directory.
 */
export async function findLabelsOfOrganisation(
  ctx: Ctx, organisationId: string,
): Promise<(HeldLabel & { initiativeTitle: string; initiativeSlug: string })[]> {
  return ctx.db.select({ ...held, initiativeTitle: initiatives.title,
    initiativeSlug: initiatives.slug }).from(labelGrants)
    .innerJoin(labels, eq(labels.id, labelGrants.labelId))
    .innerJoin(initiatives, eq(initiatives.id, labelGrants.initiativeId))
    .innerJoin(initiativeCarriers,
      eq(initiativeCarriers.initiativeId, initiatives.id))
    .where(and(eq(initiativeCarriers.organisationId, organisationId),
      isNull(labelGrants.withdrawnAt), isPublic))
    .orderBy(asc(initiatives.title), asc(labels.name));
}

/** Ids of the initiatives holding a label now, for a search filter. */
export async function findInitiativeIdsWithLabel(
  db: Db, labelId: string,
): Promise<string[]> {
  const rows = await db.select({ id: labelGrants.initiativeId })
    .from(labelGrants).where(and(eq(labelGrants.labelId, labelId),
      isNull(labelGrants.withdrawnAt)));

  return rows.map((r) => r.id);
}

/**
 * SQL condition "this initiative holds the label now", to put in the
 * WHERE of the initiatives search: `initiativeHasLabel(initiatives.id, id)`.
 */
export function initiativeHasLabel(
  initiativeId: AnyPgColumn | SQL, labelId: string,
): SQL {
  return sql`exists (select 1 from label_grants g
    where g.initiative_id = ${initiativeId} and g.label_id = ${labelId}::uuid
      and g.withdrawn_at is null)`;
}
