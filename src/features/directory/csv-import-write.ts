import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  FOREIGN_KEY_VIOLATION, isPgError, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { territories } from "../territories/tables.ts";
import { chunks } from "./chunks.ts";
import type { Planned } from "./csv-import-plan.ts";
import { organisations, organisationTerritories } from "./tables.ts";

/** Rows written per statement: few round trips, statements of sane size. */
const BATCH = 500;

/** Territory id → its ancestors, for every territory the plans name. */
export async function ancestorsOf(tx: Db, plans: Planned[]) {
  const ids = new Set<string>();
  for (const p of plans) {
    if (p.values.communeId) ids.add(p.values.communeId);
    for (const id of [...p.territoryIds, ...p.savedTerritories]) ids.add(id);
  }
  const ancestors = new Map<string, string[]>();
  for (const chunk of chunks([...ids], 5000)) {
    const found = await tx.select({ id: territories.id,
      ancestors: territories.ancestors }).from(territories)
      .where(inArray(territories.id, chunk));
    for (const t of found) ancestors.set(t.id, t.ancestors);
  }

  return ancestors;
}

/**
 * The territory scope as refreshTerritoryScope computes it, in memory:
 * one statement per organisation to compute it took most of an import.
 */
function scopeOf(plan: Planned, ancestors: Map<string, string[]>) {
  const scope = new Set<string>();
  for (const id of [plan.values.communeId, ...plan.territoryIds,
    ...plan.savedTerritories]) {
    for (const a of id ? ancestors.get(id) ?? [] : []) scope.add(a);
  }

  return [...scope].sort();
}

/**
 * Writes the plans a batch at a time, each batch in a savepoint. A batch
 * the database refuses is written again row by row, to refuse only the
 * rows at fault with their line.
 */
export async function writePlans(
  tx: Db, plans: Planned[], ancestors: Map<string, string[]>,
) {
  for (const batch of chunks(plans, BATCH)) {
    try {
      await tx.transaction((batchTx) => writeBatch(batchTx, batch, ancestors));
    } catch (error) {
      if (!isRowError(error)) throw error;
      for (const plan of batch) {
        try {
          await tx.transaction((rowTx) => writeBatch(rowTx, [plan], ancestors));
        } catch (rowError) {
          if (!isRowError(rowError)) throw rowError;
          for (const line of plan.lines) {
            Object.assign(line, { outcome: "refused", warnings: [],
              message: isPgError(rowError, UNIQUE_VIOLATION)
                ? "Une autre structure de ce nom existe déjà dans cette "
                  + "ville."
                : "Un territoire indiqué est inconnu." });
          }
        }
      }
    }
  }
}

const isRowError = (error: unknown) => isPgError(error, UNIQUE_VIOLATION)
  || isPgError(error, FOREIGN_KEY_VIOLATION);

async function writeBatch(
  tx: Db, batch: Planned[], ancestors: Map<string, string[]>,
) {
  const fresh = batch.filter((p) => !p.row);
  if (fresh.length > 0) {
    const created = await tx.insert(organisations).values(fresh.map((p) =>
      ({ ...p.values, slug: p.slug, territoryScope: scopeOf(p, ancestors) })))
      .returning({ id: organisations.id });
    // Rows come back in the order of the values inserted.
    created.forEach(({ id }, i) => { fresh[i].id = id; });
  }
  const now = new Date();
  for (const plan of batch) {
    if (!plan.row) continue;
    const scope = scopeOf(plan, ancestors);
    const scopeChanged = scope.join() !== [...plan.row.territoryScope]
      .sort().join();
    if (Object.keys(plan.patch).length > 0) {
      await tx.update(organisations).set({ ...plan.patch,
        territoryScope: scope, version: sql`${organisations.version} + 1`,
        updatedAt: now }).where(eq(organisations.id, plan.id!));
    } else if (scopeChanged) {
      await tx.update(organisations).set({ territoryScope: scope })
        .where(eq(organisations.id, plan.id!));
    }
  }
  const links = batch.flatMap((p) => [...p.territoryIds].map(
    (territoryId) => ({ organisationId: p.id!, territoryId })));
  for (const chunk of chunks(links, 2000)) {
    await tx.insert(organisationTerritories).values(chunk)
      .onConflictDoNothing();
  }
}
