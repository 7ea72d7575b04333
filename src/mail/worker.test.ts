import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { logTransport } from "./worker.ts";
import type { OutboxMessage } from "./outbox.ts";

describe("mail written to the log without SMTP_URL", () => {
  it("names the recipient, so a link can be matched to its account",
    async () => {
      const lines: string[] = [];
      const stream = new Writable({ write(chunk, _encoding, done) {
        lines.push(String(chunk)); done();
      } });
      const transport = logTransport(pino({ level: "info" }, stream));

      await transport.send({
        id: "00000000-0000-0000-0000-000000000001",
        recipient: "claire@example.org", subject: "Votre lien",
        text: "http://localhost:3000/connexion/lien/abc", attachments: [],
      } as unknown as OutboxMessage);

      const entry = JSON.parse(lines[0]);
      expect(entry.mail).toMatchObject({ to: "claire@example.org",
        subject: "Votre lien" });
      expect(entry.text).toContain("/connexion/lien/abc");
    });
});
