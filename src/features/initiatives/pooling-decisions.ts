import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
} from "../../domain/errors.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { findCarrierEmails, isCarrierOf } from "./carriers.ts";
import { canDecidePooling } from "./policy.ts";
import {
  findPoolingSuggestions, type SuggestionKind,
} from "./pooling-suggestions.ts";
import {
  initiatives, poolingDecisions, type PoolingDecision,
} from "./tables.ts";

export interface PoolingDecisionInput {
  initiativeId: string;
  targetKind: SuggestionKind;
  targetId: string;
  decision: PoolingDecision;
}

/** Who to write to on the suggested side, and how it is named. */
async function otherSide(db: Db, kind: SuggestionKind, id: string) {
  if (kind === "initiative") {
    const [row] = await query<{ name: string; status: string }>(db, sql`
      select title as name, status from initiatives where id = ${id}`);
    if (!row || row.status !== "published") return null;

    return { name: row.name, emails: await findCarrierEmails(db, id) };
  }
  const [row] = await query<{ name: string; email: string | null }>(db, sql`
    select name, email from organisations where id = ${id}`);
  if (!row) return null;
  const members = await query<{ email: string }>(db, sql`
    select distinct lower(p.email) as email from people p
    join memberships m on m.person_id = p.id
    where m.organisation_id = ${id} and p.email is not null
      and p.account_status = 'active'`);
  const emails = [...new Set([...(row.email ? [row.email.toLowerCase()] : []),
    ...members.map((m) => m.email)])];

  return { name: row.name, emails };
}

/** Whether this person already marked this suggestion "not relevant". */
async function alreadyHidden(
  db: Db, initiativeId: string, personId: string,
  input: PoolingDecisionInput,
) {
  const column = input.targetKind === "initiative"
    ? sql`target_initiative_id` : sql`target_organisation_id`;
  const rows = await query(db, sql`select 1 from pooling_decisions
    where initiative_id = ${initiativeId} and person_id = ${personId}
      and decision = 'not_relevant' and ${column}::text = ${input.targetId}`);

  return rows.length > 0;
}

/**
 * "Let's talk": the suggested side is told by e-mail with the contact of
 * the person who asked, and both sides then see each other's contact.
 * "Not relevant": the suggestion stops being shown to this person.
 * Either is decided only on a suggestion Atelier shows this person now:
 * any other target would let a carrier write to, and read the contact of,
 * whichever initiative or organisation they name.
 */
export async function decidePooling(ctx: Ctx, input: PoolingDecisionInput) {
  const actor = requirePerson(ctx.actor);
  const [initiative] = await ctx.db.select().from(initiatives)
    .where(sql`${initiatives.id} = ${input.initiativeId}`);
  if (!initiative) throw notFound();
  const carrier = await isCarrierOf(ctx.db, actor, initiative.id);
  if (!canDecidePooling(actor, carrier)) throw forbidden();

  if (!["talk", "not_relevant"].includes(input.decision)
    || !["initiative", "organisation"].includes(input.targetKind)) {
    throw invalid("Choix inconnu.");
  }
  // A draft is not shown outside its carriers yet: nobody is written to
  // in its name. Hiding a suggestion concerns only the carrier, any time.
  if (input.decision === "talk" && initiative.status !== "published") {
    throw conflict("Un échange ne s'engage qu'une fois l'initiative "
      + "publiée.");
  }
  const target = input.targetKind === "initiative"
    ? { targetInitiativeId: input.targetId }
    : { targetOrganisationId: input.targetId };
  // Asked twice (a double click): the suggestion is already hidden.
  if (input.decision === "not_relevant"
    && await alreadyHidden(ctx.db, initiative.id, actor.id, input)) return;
  // The same list as the suggestions page shows.
  const suggestion = (await findPoolingSuggestions(ctx, initiative.id))
    .find((s) => s.kind === input.targetKind && s.id === input.targetId);
  if (!suggestion) throw notFound("Cette suggestion n'existe plus.");

  if (input.decision === "not_relevant") {
    await ctx.db.insert(poolingDecisions).values({
      initiativeId: initiative.id, personId: actor.id, ...target,
      decision: "not_relevant", reasons: suggestion.reasons,
    }).onConflictDoNothing();
    return;
  }
  const other = await otherSide(ctx.db, input.targetKind, input.targetId);
  if (!other) throw notFound("Cette suggestion n'existe plus.");

  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(poolingDecisions).values({
        initiativeId: initiative.id, personId: actor.id, ...target,
        decision: "talk", reasons: suggestion.reasons,
      });
      const why = suggestion.reasons.map((r) => `- ${r}`).join("\n");
      for (const to of other.emails) {
        await enqueueMail(tx, {
          to,
          subject: `Opportunité de mutualisation : ${initiative.title}`,
          text: `Bonjour,\n\n${actor.fullName} (${actor.email}), pour `
            + `l'initiative « ${initiative.title} », propose d'échanger avec `
            + `« ${other.name} » en vue d'une mutualisation.\n\n`
            + (why ? `Pourquoi Atelier vous a rapprochés :\n${why}\n\n` : "")
            + `Répondez directement à ${actor.email}, ou retrouvez ce contact `
            + `dans « Mes initiatives » : ${ctx.config.baseUrl}`
            + `/mes-initiatives\n\nL'initiative : ${ctx.config.baseUrl}`
            + `/initiatives/${initiative.slug}\n`,
        });
      }
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw conflict("Un échange est déjà engagé avec cette suggestion.");
    }
    throw error;
  }
}
