import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { fold } from "../territories/search.ts";
import { chunks } from "./chunks.ts";
import type { Checked, ReadRow } from "./csv-import-rows.ts";
import type { ImportLine } from "./csv-import.ts";
import { slugify, type OrganisationRow } from "./organisations.ts";
import { organisations, organisationTerritories } from "./tables.ts";

type Values = Checked["values"];

/** An organisation the import creates or completes, as it will be saved. */
export interface Planned {
  /** Null until created. */
  id: string | null;
  row: OrganisationRow | null;
  values: Values;
  slug: string;
  nameKey: string;
  townKey: string;
  territoryIds: Set<string>;
  /** Territories recorded before the import (existing organisations). */
  savedTerritories: Set<string>;
  patch: Partial<typeof organisations.$inferInsert>;
  firstLine: number | undefined;
  lines: ImportLine[];
}

/**
 * Decides, row after row, what each organisation becomes: namesakes are
 * looked up once for the whole file, then each row creates one or
 * completes one known already or created by an earlier row.
 */
export async function planChanges(
  tx: Db, read: ReadRow[], lines: ImportLine[],
): Promise<Planned[]> {
  const valid = read.filter((r): r is Exclude<ReadRow, ImportLine> =>
    !("outcome" in r));
  for (const r of read) if ("outcome" in r) lines.push(r);
  const nameKeys = [...new Set(valid.map((r) =>
    fold(r.checked.values.name)))];
  const byName = new Map<string, Planned[]>();
  const existing: Planned[] = [];
  for (const chunk of chunks(nameKeys, 5000)) {
    const found = await tx.select().from(organisations)
      .where(inArray(organisations.nameKey, chunk));
    for (const org of found) {
      const plan: Planned = { id: org.id, row: org, values: { ...org } as Values,
        slug: org.slug, nameKey: org.nameKey, townKey: org.townKey,
        territoryIds: new Set(), savedTerritories: new Set(), patch: {},
        firstLine: undefined, lines: [] };
      existing.push(plan);
      byName.set(org.nameKey, [...byName.get(org.nameKey) ?? [], plan]);
    }
  }
  for (const chunk of chunks(existing.map((p) => p.id!), 5000)) {
    const links = await tx.select().from(organisationTerritories)
      .where(inArray(organisationTerritories.organisationId, chunk));
    const plans = new Map(existing.map((p) => [p.id!, p]));
    for (const link of links) {
      plans.get(link.organisationId)!.savedTerritories.add(link.territoryId);
    }
  }
  const slugs = new Set((await tx.select({ slug: organisations.slug })
    .from(organisations)).map((r) => r.slug));

  const touched: Planned[] = [];
  for (const { line, checked, warnings } of valid) {
    const { values, territoryIds } = checked;
    const nameKey = fold(values.name);
    const town = fold(values.city ?? "");
    const namesakes = byName.get(nameKey) ?? [];
    const target = namesakes.find((o) => o.townKey === town)
      ?? namesakes.find((o) => o.townKey === "" || town === "");
    const result = (outcome: ImportLine["outcome"], message: string) =>
      ({ line, name: values.name, outcome, message, warnings });

    if (!target) {
      const plan: Planned = { id: null, row: null, values,
        slug: freeSlugAmong(slugs, values.name), nameKey, townKey: town,
        territoryIds: new Set(territoryIds), savedTerritories: new Set(),
        patch: {}, firstLine: line, lines: [] };
      const other = namesakes[0];
      plan.lines.push(result("created", other
        ? `créée ; doublon possible de « ${other.values.name} » `
          + `(${other.values.city})`
        : "créée"));
      byName.set(nameKey, [...namesakes, plan]);
      touched.push(plan);
      continue;
    }

    const patch = mergePatch(target.values, values);
    Object.assign(target.values, patch);
    if (target.row) Object.assign(target.patch, patch);
    if (patch.city !== undefined) target.townKey = fold(patch.city ?? "");
    const known = new Set([...target.savedTerritories,
      ...target.territoryIds]);
    const added = territoryIds.filter((id) => !known.has(id));
    for (const id of added) target.territoryIds.add(id);
    const earlier = target.firstLine;
    if (earlier === undefined) {
      target.firstLine = line;
      touched.push(target);
    }
    const changed = Object.keys(patch).length > 0 || added.length > 0;
    target.lines.push(result(changed ? "changed" : "unchanged",
      earlier !== undefined ? `fusionnée avec ligne ${earlier}`
        : changed ? "complétée (déjà présente)" : "déjà présente"));
  }
  for (const plan of touched) lines.push(...plan.lines);

  return touched;
}

/** Like freeSlug, against the slugs known and those given out already. */
function freeSlugAmong(taken: Set<string>, name: string) {
  let base = slugify(name);
  if (["nouvelle", "export"].includes(base)) base = `${base}-structure`;
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);

  return slug;
}

/** Fills what the organisation leaves blank; unites themes and skills. */
function mergePatch(target: Values, values: Values) {
  const patch: Partial<typeof organisations.$inferInsert> = {};
  const fillable = ["kind", "description", "website", "address", "postalCode",
    "city", "communeId", "charterSignedOn", "email", "phone",
    "staffNotes"] as const;
  for (const key of fillable) {
    if (!target[key] && values[key]) (patch as any)[key] = values[key];
  }
  if (values.charterSignatory && !target.charterSignatory) {
    patch.charterSignatory = true;
  }
  for (const key of ["themes", "skills"] as const) {
    const union = [...new Set([...target[key], ...values[key]])];
    if (union.length > target[key].length) patch[key] = union;
  }

  return patch;
}
