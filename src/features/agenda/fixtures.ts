// Test helpers of the agenda: events and organisations in one call.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Ctx } from "../../domain/context.ts";
import { createOrganisationRow } from "../../../test/factories.ts";
import { createEvent } from "./events.ts";
import type { EventInput } from "./input.ts";
import { occurrences } from "./tables.ts";

/** An organisation whose members are the given people. */
export function createOrganisation(
  db: Db, options: { name?: string; memberIds?: string[] } = {},
) {
  return createOrganisationRow(db, {
    ...(options.name ? { name: options.name } : {}),
    members: (options.memberIds ?? []).map((personId) => ({ personId })),
  });
}

/** An event created by staff, with its dates. */
export async function createTestEvent(staff: Ctx, input: EventInput = {}) {
  const event = await createEvent(staff, {
    title: "Rendez-vous d'interconnaissance", kind: "meetup",
    start: "2030-03-12T17:30", end: "2030-03-12T19:00",
    location: "En ligne", ...input,
  });
  const dates = await staff.db.select().from(occurrences)
    .where(eq(occurrences.eventId, event.id)).orderBy(occurrences.startsAt);

  return { event, occurrences: dates };
}
