import nodemailer from "nodemailer";
import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import {
  claimNextMail, markMailFailed, markMailSent, type OutboxMessage,
} from "./outbox.ts";

export interface Transport {
  send(message: OutboxMessage): Promise<void>;
}

/**
 * Sends over SMTP. The outbox id becomes the Message-ID, so a message sent
 * again after a crash between sending and marking is recognisable as the
 * same one by the receiving side.
 */
export function smtpTransport(config: Config): Transport {
  const transporter = nodemailer.createTransport(config.smtpUrl!);
  const domain = new URL(config.baseUrl).hostname || "localhost";

  return {
    async send(message) {
      await transporter.sendMail({
        from: config.mailFrom,
        to: message.recipient,
        subject: message.subject,
        text: message.text,
        messageId: `<${message.id}@${domain}>`,
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
    },
  };
}

/**
 * Without SMTP_URL: mail goes to the log, so a local start just works.
 * The recipient is written too, so that a link can be matched to its
 * account: this is only for a local start, whose log stays on the
 * operator's machine; a real installation sets SMTP_URL and logs nothing
 * of the mail.
 */
export function logTransport(log: FastifyBaseLogger): Transport {
  return {
    async send(message) {
      log.info({ mail: { id: message.id, to: message.recipient,
        subject: message.subject }, text: message.text },
      "mail written to the log (no SMTP_URL)");
    },
  };
}

/** Sends every due message, one at a time; returns how many were sent. */
export async function drainOutbox(
  db: Db, transport: Transport, log: FastifyBaseLogger,
  now = () => new Date(),
): Promise<number> {
  let sent = 0;
  for (;;) {
    const message = await claimNextMail(db, now());
    if (!message) return sent;
    try {
      await transport.send(message);
      await markMailSent(db, message.id, now());
      sent += 1;
    } catch (error) {
      log.warn({ mailId: message.id, err: error }, "mail sending failed");
      await markMailFailed(db, message, String(error), now());
    }
  }
}
