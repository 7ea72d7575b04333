import { asc, eq } from "drizzle-orm";
import type { Ctx } from "../../domain/context.ts";
import {
  forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { canConfigureLabels } from "./policy.ts";
import { labels } from "./tables.ts";

export type Label = typeof labels.$inferSelect;

export interface LabelInput {
  name: string;
  description?: string;
  /** One criterion per line, as typed in the form. */
  criteria: string;
}

/** "De la Fabrique des transitions" → "de-la-fabrique-des-transitions". */
export function slugify(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")
    .slice(0, 80) || "label";
}

function parseLabel(input: LabelInput) {
  const name = input.name.trim();
  const criteria = input.criteria.split(/\r?\n/).map((c) => c.trim())
    .filter(Boolean);
  const fields: Record<string, string> = {};
  if (!name) fields.name = "Indiquez le nom du label.";
  if (name.length > 120) fields.name = "120 caractères au plus.";
  if (criteria.length === 0) {
    fields.criteria = "Indiquez au moins un critère, un par ligne.";
  }
  if (criteria.some((c) => c.length > 500)) {
    fields.criteria = "Un critère tient en 500 caractères au plus.";
  }
  if (Object.keys(fields).length) {
    throw invalid("Le label n'a pas pu être enregistré.", fields);
  }

  return { name, description: (input.description ?? "").trim(), criteria };
}

const duplicateName = () => invalid("Un label porte déjà ce nom.",
  { name: "Un label porte déjà ce nom." });

/** Creates a label with its criteria. */
export async function createLabel(ctx: Ctx, input: LabelInput) {
  if (!canConfigureLabels(ctx.actor)) throw forbidden();
  const values = parseLabel(input);

  try {
    return await ctx.db.transaction(async (tx) => {
      const [label] = await tx.insert(labels)
        .values({ ...values, slug: slugify(values.name) }).returning();
      await recordAudit(tx, ctx.actor, { action: "label.configured",
        subjectKind: "label", subjectId: label.id,
        details: { name: label.name, criteria: label.criteria } }, ctx.now());

      return label;
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) throw duplicateName();
    throw error;
  }
}

/**
 * Renames a label or changes its criteria. The slug stays, so links to
 * the register keep working; past proposals keep the criteria they were
 * read against.
 */
export async function updateLabel(
  ctx: Ctx, input: LabelInput & { id: string },
) {
  if (!canConfigureLabels(ctx.actor)) throw forbidden();
  const values = parseLabel(input);

  try {
    return await ctx.db.transaction(async (tx) => {
      const [label] = await tx.update(labels)
        .set({ ...values, updatedAt: ctx.now() })
        .where(eq(labels.id, input.id)).returning();
      if (!label) throw notFound("Ce label n'existe pas.");
      await recordAudit(tx, ctx.actor, { action: "label.configured",
        subjectKind: "label", subjectId: label.id,
        details: { name: label.name, criteria: label.criteria } }, ctx.now());

      return label;
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) throw duplicateName();
    throw error;
  }
}

/** Every label, public: the register and the API name them. */
export async function findLabels(ctx: Ctx): Promise<Label[]> {
  return ctx.db.select().from(labels).orderBy(asc(labels.name));
}

export async function getLabel(ctx: Ctx, id: string): Promise<Label> {
  const [label] = await ctx.db.select().from(labels)
    .where(eq(labels.id, id));
  if (!label) throw notFound("Ce label n'existe pas.");

  return label;
}
