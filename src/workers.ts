import type { FastifyBaseLogger } from "fastify";
import type { Ctx } from "./domain/context.ts";
import { closeDueBallots } from "./features/ballots/ballots.ts";
import { drainOutbox, logTransport, smtpTransport } from "./mail/worker.ts";
import { purgeAccountRecords } from "./features/accounts/sessions.ts";
import { queueReminders } from "./features/agenda/reminders.ts";

interface Job {
  name: string;
  everyMs: number;
  run(ctx: Ctx): Promise<unknown>;
}

/**
 * Starts the background jobs of this node. Every job is safe to run on
 * several nodes at once: each claims its work in the database.
 */
export function startWorkers(ctx: Ctx, log: FastifyBaseLogger): () => void {
  const transport = ctx.config.smtpUrl ? smtpTransport(ctx.config)
    : logTransport(log);
  const jobs: Job[] = [
    { name: "outbox", everyMs: 2000,
      run: (c) => drainOutbox(c.db, transport, log) },
    { name: "account-purge", everyMs: 3600_000,
      run: (c) => purgeAccountRecords(c.db, c.now()) },
    // Reminders are deduplicated in the outbox: every node may run this.
    { name: "agenda reminders", everyMs: 10 * 60_000, run: queueReminders },
    // Ballots close at their end date even when nobody closes them.
    { name: "ballots", everyMs: 30_000, run: (c) => closeDueBallots(c) },
  ];
  const timers = jobs.map((job) => {
    let running = false;

    return setInterval(async () => {
      if (running) return;
      running = true;
      try {
        await job.run(ctx);
      } catch (error) {
        log.error({ err: error, job: job.name }, "background job failed");
      } finally {
        running = false;
      }
    }, job.everyMs);
  });

  return () => timers.forEach(clearInterval);
}
