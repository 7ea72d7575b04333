import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { invalid } from "../../domain/errors.ts";
import { people } from "../accounts/tables.ts";
import { events } from "../agenda/tables.ts";
import { splitList } from "../directory/labels.ts";
import { memberships } from "../directory/tables.ts";
import { initiatives } from "../initiatives/tables.ts";
import { resolveTerritory, type TerritorySummary }
  from "../territories/search.ts";
import type { TrajectoryStep } from "./tables.ts";
import { isUuid } from "../../domain/ids.ts";

/** A sheet as its form sends it: every field as typed. */
export interface SheetInput {
  title: string;
  summary?: string;
  context?: string;
  actors?: string;
  /** One dated step a line: "2021-03 : premier atelier". */
  trajectory?: string;
  actions?: string;
  effects?: string;
  difficulties?: string;
  lessons?: string;
  themes?: string;
  competences?: string;
  tools?: string;
  methods?: string;
  /** One territory a line, as the directory reads them. */
  territories?: string;
  facilitatorId?: string;
  /** E-mail addresses of the other authors, one a line. */
  coauthors?: string;
  organisationIds?: string[];
  initiativeIds?: string[];
  eventIds?: string[];
}

export const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MAX_SECTION = 50_000;
const STEP = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*[:—–-]\s*(.+)$/;

/** The sheet's columns and links once the input is checked. */
export interface CleanSheet {
  values: {
    title: string; summary: string; context: string; actors: string;
    trajectory: TrajectoryStep[]; actions: string; effects: string;
    difficulties: string; lessons: string; themes: string[];
    competences: string[]; tools: string[]; methods: string[];
    facilitatorId: string | null;
  };
  territories: TerritorySummary[];
  authorIds: string[];
  organisationIds: string[];
  initiativeIds: string[];
  eventIds: string[];
}

/** A list whose items are unique whatever their case. */
function descriptorList(text: string | undefined): string[] {
  const seen = new Set<string>();

  return splitList(text).map((s) => s.slice(0, 120)).filter((s) => {
    const key = s.toLocaleLowerCase("fr");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 40);
}

/** "2021", "2021-02" or "2021-02-28", if such a month and day exist. */
function isRealDate(date: string): boolean {
  const [year, month, day] = date.split("-").map(Number);
  if (month === undefined) return true;
  if (month < 1 || month > 12) return false;
  if (day === undefined) return true;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const lastDay = month === 2 ? (leap ? 29 : 28)
    : [4, 6, 9, 11].includes(month) ? 30 : 31;

  return day >= 1 && day <= lastDay;
}

/** A line of the trajectory that cannot be read, and why. */
export interface WrongStep { line: number; text: string; date?: string }

export function parseTrajectory(text: string | undefined) {
  const steps: TrajectoryStep[] = [];
  const wrong: WrongStep[] = [];
  (text ?? "").split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const m = STEP.exec(line);
    if (!m) wrong.push({ line: index + 1, text: line });
    else if (!isRealDate(m[1])) {
      wrong.push({ line: index + 1, text: line, date: m[1] });
    } else steps.push({ date: m[1], text: m[2].trim() });
  });

  return { steps, wrong };
}

/** What to tell the writer about the first line that cannot be read. */
function trajectoryError({ line, text, date }: WrongStep): string {
  const seen = `à revoir, ligne ${line} : « ${text.slice(0, 60)} ».`;

  return date ? `La date ${date} n'existe pas ; ${seen}`
    : "Chaque étape commence par une date (AAAA, AAAA-MM ou AAAA-MM-JJ) "
      + `suivie de « : » ; ${seen}`;
}

const ids = (list: string[] | undefined) =>
  [...new Set((list ?? []).filter((id) => isUuid(id)))];

/**
 * Checks a sheet's input against the database: dated steps, known
 * territories, a trained facilitator who is not also an author, authors
 * with accounts, organisations an author acts for. `firstAuthorId` is the
 * person who stays author whatever the list says (the one who started it;
 * none if every author has left).
 */
export async function validateSheet(
  db: Db, input: SheetInput, firstAuthorId: string | null,
): Promise<CleanSheet> {
  const fields: Record<string, string> = {};
  const title = (input.title ?? "").trim();
  if (!title) fields.title = "Donnez un titre à la fiche.";
  else if (title.length > 200) fields.title = "Le titre est trop long.";
  const text = (v: string | undefined) => (v ?? "").replace(/\r\n/g, "\n")
    .trim();
  const sections = {
    summary: text(input.summary), context: text(input.context),
    actors: text(input.actors), actions: text(input.actions),
    effects: text(input.effects), difficulties: text(input.difficulties),
    lessons: text(input.lessons),
  };
  for (const [name, value] of Object.entries(sections)) {
    if (value.length > MAX_SECTION) fields[name] = "Ce texte est trop long.";
  }
  if (sections.summary.length > 2000) {
    fields.summary = "Le résumé tient en 2 000 caractères au plus.";
  }
  const trajectory = parseTrajectory(input.trajectory);
  if (trajectory.wrong.length) {
    fields.trajectory = trajectoryError(trajectory.wrong[0]);
  }

  const territories: TerritorySummary[] = [];
  for (const line of splitList(input.territories).slice(0, 30)) {
    const found = await resolveTerritory(db, line);
    if (found.status === "found") territories.push(found.territory);
    else if (found.status === "ambiguous") {
      fields.territories = `« ${line} » peut désigner : ${found.candidates
        .slice(0, 5).map((c) => c.label).join(", ")}. Écrivez le nom tel `
        + "qu'il apparaît dans cette liste.";
    } else fields.territories = `Territoire inconnu : « ${line} ».`;
  }

  const emails = splitList(input.coauthors).map((e) => e.toLowerCase());
  const coauthors = emails.length ? await db.select({ id: people.id,
    email: people.email }).from(people).where(and(
    inArray(sql`lower(${people.email})`, emails), eq(people.accountStatus, "active")))
    : [];
  const missing = emails.filter((e) => !coauthors.some(
    (c) => c.email?.toLowerCase() === e));
  if (missing.length) {
    fields.coauthors = `Aucun·e allié·e inscrit·e avec l'adresse `
      + `${missing[0]}.`;
  }
  const authorIds = [...new Set([...firstAuthorId ? [firstAuthorId] : [],
    ...coauthors.map((c) => c.id)])];

  const facilitatorId = isUuid(input.facilitatorId ?? "")
    ? input.facilitatorId! : null;
  if (facilitatorId) {
    const [facilitator] = await db.select({ id: people.id }).from(people)
      .where(and(eq(people.id, facilitatorId),
        eq(people.isFacilitator, true)));
    if (!facilitator) {
      fields.facilitatorId = "Choisissez un·e maïeuticien·ne formé·e.";
    } else if (authorIds.includes(facilitatorId)) {
      fields.facilitatorId = "Le·la maïeuticien·ne accompagne les auteur·es "
        + "et n'en fait pas partie.";
    }
  }

  const organisationIds = ids(input.organisationIds);
  if (organisationIds.length) {
    const held = await db.select({ id: memberships.organisationId })
      .from(memberships).where(and(
        inArray(memberships.organisationId, organisationIds),
        inArray(memberships.personId, authorIds)));
    // A sheet attests competences for its organisations: only those an
    // author acts for may be named.
    if (organisationIds.some((id) => !held.some((h) => h.id === id))) {
      fields.organisationIds = "Chaque structure doit compter un·e des "
        + "auteur·es parmi ses membres.";
    }
  }
  const initiativeIds = ids(input.initiativeIds);
  if (initiativeIds.length) {
    const known = await db.select({ id: initiatives.id }).from(initiatives)
      .where(inArray(initiatives.id, initiativeIds));
    if (known.length !== initiativeIds.length) {
      fields.initiativeIds = "Une des initiatives choisies n'existe pas.";
    }
  }
  const eventIds = ids(input.eventIds);
  if (eventIds.length) {
    const known = await db.select({ id: events.id }).from(events)
      .where(inArray(events.id, eventIds));
    if (known.length !== eventIds.length) {
      fields.eventIds = "Un des événements choisis n'existe pas.";
    }
  }

  if (Object.keys(fields).length) {
    throw invalid("La fiche n'a pas pu être enregistrée.", fields);
  }

  return {
    values: {
      title, ...sections, trajectory: trajectory.steps,
      themes: descriptorList(input.themes),
      competences: descriptorList(input.competences),
      tools: descriptorList(input.tools),
      methods: descriptorList(input.methods),
      facilitatorId,
    },
    territories, authorIds, organisationIds, initiativeIds, eventIds,
  };
}
