import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { TestApp } from "../../../test/app.ts";
import {
  actorOf, createDocumentRow, createPerson,
} from "../../../test/factories.ts";
import { DomainError } from "../../domain/errors.ts";
import { toParisLocal } from "../../domain/time.ts";
import { doctrineTexts } from "./tables.ts";
import { openDebate, proposeDoctrine } from "./texts.ts";

// What the doctrine's tests share: a text proposed and in debate, clocks
// moved as time would, refusals read as domain errors.

export const DAY = 86_400_000;
export const later = (days: number) =>
  toParisLocal(new Date(Date.now() + days * DAY));

export async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e) => e);
  expect(error).toBeInstanceOf(DomainError);

  return error as DomainError;
}

export const BODY = "# Constat\n\nLes territoires coopèrent.\n\n"
  + "La transition demande du temps.\n\nLes communs se partagent.";

/** Staff, a proposer, an ally and a text in debate for a week. */
export async function doctrineScene(
  t: TestApp, options: { debate?: boolean; body?: string } = {},
) {
  const db = t.database.db;
  const staff = await createPerson(db, { role: "staff" });
  const proposer = await createPerson(db, { fullName: "Awa Proposante" });
  const ally = await createPerson(db, { fullName: "Bruno Amendeur" });
  const document = await createDocumentRow(db, { title: "Constat commun",
    body: options.body ?? BODY });
  const staffCtx = t.ctx(actorOf(staff));
  const text = await proposeDoctrine(t.ctx(actorOf(proposer)), {
    documentId: document.id, reason: "Il fonde notre **action**." });
  if (options.debate !== false) {
    await openDebate(staffCtx, { textId: text.id, endsAt: later(7) });
  }

  return { staff, staffCtx, proposer, ally, document, text,
    proposerCtx: t.ctx(actorOf(proposer)), allyCtx: t.ctx(actorOf(ally)) };
}

/** Moves a text's debate end into the past, as time would. */
export async function endDebate(t: TestApp, textId: string) {
  await t.database.db.update(doctrineTexts).set({
    debateOpenedAt: new Date(Date.now() - 3 * DAY),
    debateEndsAt: new Date(Date.now() - DAY) })
    .where(eq(doctrineTexts.id, textId));
}
