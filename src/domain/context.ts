import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { Role } from "../features/accounts/tables.ts";
import { forbidden, unauthenticated } from "./errors.ts";

/** Who is acting: a visitor who is not signed in, or a signed-in person. */
export type Actor =
  | { kind: "visitor" }
  | {
      kind: "person";
      id: string;
      fullName: string;
      email: string;
      role: Role;
      isFacilitator: boolean;
    };

export type PersonActor = Extract<Actor, { kind: "person" }>;

export const VISITOR: Actor = { kind: "visitor" };

/** What every use case receives: the actor, the database and a logger. */
export interface Ctx {
  actor: Actor;
  db: Db;
  log: FastifyBaseLogger;
  config: Config;
  /** The clock, injectable so that tests can stand at a given instant. */
  now: () => Date;
}

export const isStaff = (actor: Actor): boolean =>
  actor.kind === "person" && actor.role === "staff";

/** Allies and staff: anyone signed in with an active account. */
export const isMember = (actor: Actor): actor is PersonActor =>
  actor.kind === "person";

export function requirePerson(actor: Actor): PersonActor {
  if (actor.kind !== "person") throw unauthenticated();

  return actor;
}

export function requireStaff(actor: Actor): PersonActor {
  const person = requirePerson(actor);
  if (person.role !== "staff") throw forbidden();

  return person;
}

/** A context for the command line and background jobs: they act as staff. */
export function systemCtx(base: Omit<Ctx, "actor">): Ctx {
  return {
    ...base,
    actor: {
      kind: "person",
      id: "00000000-0000-0000-0000-000000000000",
      fullName: "Atelier",
      email: "",
      role: "staff",
      isFacilitator: false,
    },
  };
}
