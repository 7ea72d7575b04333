import { sql } from "drizzle-orm";
import { query, type Db } from "../../db/client.ts";
import type { Config } from "../../config.ts";
import { enqueueMail } from "../../mail/outbox.ts";

/**
 * The people to tell about a step of an initiative's labelling: the
 * members of its carrying organisations and its contact person.
 */
export async function findCarrierEmails(
  db: Db, initiativeId: string,
): Promise<string[]> {
  const rows = await query<{ email: string }>(db, sql`
    select distinct lower(p.email) as email from people p
    where p.email is not null and p.account_status <> 'disabled' and (
      p.id in (select m.person_id from initiative_carriers ic
        join memberships m on m.organisation_id = ic.organisation_id
        where ic.initiative_id = ${initiativeId}::uuid)
      or p.id = (select contact_person_id from initiatives
        where id = ${initiativeId}::uuid))
    order by 1`);

  return rows.map((r) => r.email);
}

/**
 * Queues one message per carrier, inside the caller's transaction. The
 * dedupe key makes a replayed step write each message once.
 */
export async function mailCarriers(
  db: Db, config: Config, initiativeId: string,
  mail: { key: string; subject: string; text: string },
): Promise<void> {
  const footer = `\n\n-- \n${config.siteName} — ${config.baseUrl}\n`;
  for (const to of await findCarrierEmails(db, initiativeId)) {
    await enqueueMail(db, { to, subject: mail.subject,
      text: mail.text + footer, dedupeKey: `${mail.key}:${to}` });
  }
}
