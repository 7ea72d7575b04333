import { labels } from "./tables.ts";
import type { Ctx } from "../../domain/context.ts";
import { slugify } from "./labels.ts";

// The charter's four objectives and four fundamentals of systemic change
// (data/charter.md), the criteria staff read a proposal against.
const CRITERIA = [
  "Nourrir la communauté apprenante : mettre en commun ce que l'on apporte,"
    + " recherche participative comprise",
  "Mettre ce patrimoine commun au service des territoires en transition,"
    + " avec une garantie de qualité de l'accompagnement",
  "Proposer ensemble les changements nécessaires des modèles économiques,"
    + " de la gouvernance, du droit et des financements",
  "Diffuser, par la formation d'abord, une ingénierie du changement"
    + " systémique à l'échelle d'un territoire",
  "Créer les conditions de l'engagement, ici et maintenant",
  "Coopérer et tenir le cap dans la durée",
  "Agir de façon systémique, en élargissant le cercle pas à pas",
  "Évaluer la valeur créée, sur le long terme",
];

const LABELS = [
  { name: "Sous l'égide de la Fabrique",
    description: "Une initiative portée par des allié·es, que l'Alliance "
      + "reconnaît comme fidèle à sa Charte." },
  { name: "De la Fabrique des transitions",
    description: "Une initiative que l'Alliance reconnaît comme la sienne, "
      + "menée au nom de la Fabrique des transitions." },
];

/** The two labels with the charter's criteria; kept when they exist. */
export async function seedLabels(ctx: Ctx): Promise<void> {
  await ctx.db.insert(labels).values(LABELS.map((l) => ({
    ...l, slug: slugify(l.name), criteria: CRITERIA })))
    .onConflictDoNothing();
}
