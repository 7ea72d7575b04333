import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  registerInitiativeBadges, registerInitiativeFilter,
} from "../initiatives/extensions.ts";
import { findLabels } from "./labels.ts";
import { labelGrants, labels } from "./tables.ts";

// Initiatives know nothing of labels: this module lets them filter by a
// label held now and show it as a badge. Imported once by the routes.

registerInitiativeFilter({
  param: "label",
  label: "Label",
  options: async (ctx) => (await findLabels(ctx))
    .map((l) => ({ value: l.slug, label: l.name })),
  where: (slug) => sql`exists (select 1 from label_grants g
    join labels l on l.id = g.label_id
    where g.initiative_id = i.id and l.slug = ${slug}
      and g.withdrawn_at is null)`,
});

registerInitiativeBadges(async (ctx, initiativeIds) => {
  const rows = await ctx.db.select({
    initiativeId: labelGrants.initiativeId, name: labels.name,
  }).from(labelGrants)
    .innerJoin(labels, eq(labels.id, labelGrants.labelId))
    .where(and(inArray(labelGrants.initiativeId, initiativeIds),
      isNull(labelGrants.withdrawnAt)));
  const badges = new Map<string, string[]>();
  for (const row of rows) {
    badges.set(row.initiativeId,
      [...(badges.get(row.initiativeId) ?? []), `Label « ${row.name} »`]);
  }

  return badges;
});
