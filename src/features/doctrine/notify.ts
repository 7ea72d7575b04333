import { eq } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { people } from "../accounts/tables.ts";

/**
 * Queues one message to a person, inside the caller's transaction, when
 * the person still has an address. The key makes a replayed step write it
 * once.
 */
export async function mailPerson(
  db: Db, config: Config, personId: string | null,
  mail: { key: string; subject: string; text: string },
): Promise<void> {
  if (!personId) return;
  const [person] = await db.select({ email: people.email,
    status: people.accountStatus }).from(people)
    .where(eq(people.id, personId));
  if (!person?.email || person.status === "disabled") return;

  await enqueueMail(db, { to: person.email, subject: mail.subject,
    text: `${mail.text}${footer(config)}`, dedupeKey: mail.key });
}

export const footer = (config: Config) =>
  `\n\n-- \n${config.siteName} — ${config.baseUrl}\n`;

export const textUrl = (config: Config, slug: string) =>
  `${config.baseUrl}/doctrine/${slug}`;

const dateTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris", dateStyle: "full", timeStyle: "short",
});

/** A date and time in words, Paris time, for e-mails. */
export const inWords = (d: Date) => dateTime.format(d);
