import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { requirePerson, type Ctx } from "../../domain/context.ts";
import {
  conflict, forbidden, invalid, isPgError, notFound, UNIQUE_VIOLATION,
  unauthenticated,
} from "../../domain/errors.ts";
import { isCalendarDay, parisDay } from "../../domain/time.ts";
import { personIdOf, recordAudit } from "../audit/audit.ts";
import { people } from "../accounts/tables.ts";
import { memberships, organisations } from "../directory/tables.ts";
import { documents } from "../documents/tables.ts";
import { mailPerson, textUrl } from "./notify.ts";
import {
  canAttachBriefResult, canPickVolunteer, canVolunteer, canWriteBrief,
} from "./policy.ts";
import { doctrineBriefs, doctrineTexts, doctrineVolunteers } from "./tables.ts";
import { normalise, titleOf } from "./texts.ts";
import { isUuid } from "../../domain/ids.ts";

export type Brief = typeof doctrineBriefs.$inferSelect;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HTTP_URL = /^https?:\/\/\S+$/i;
/** The address of a document of the base on the site, or its bare slug. */
const DOCUMENT_REF = /^(?:\/fonds\/documents\/)?([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export interface BriefInput {
  textId: string;
  audience: string;
  format: string;
  /** Themes, one per line or separated by commas. */
  themes: string;
  /** "2026-09-30" */
  deadline: string;
  description: string;
}

/** Staff write a brief for the adaptation of a validated text. */
export async function writeBrief(ctx: Ctx, input: BriefInput): Promise<Brief> {
  if (!canWriteBrief(ctx.actor)) {
    throw ctx.actor.kind === "visitor" ? unauthenticated() : forbidden();
  }
  const audience = (input.audience ?? "").trim();
  const format = (input.format ?? "").trim();
  const description = normalise(input.description ?? "").trim();
  const themes = (input.themes ?? "").split(/[\n,;]/).map((t) => t.trim())
    .filter(Boolean).slice(0, 20);
  const fields: Record<string, string> = {};
  if (!audience) fields.audience = "Pour qui est cette adaptation ?";
  if (!format) fields.format = "Quel format : vidéo, fiche, jeu, module…";
  const deadline = (input.deadline ?? "").trim();
  const day = DAY.exec(deadline);
  if (!day) {
    fields.deadline = "Indiquez l'échéance.";
  } else if (!isCalendarDay(Number(day[1]), Number(day[2]), Number(day[3]))) {
    fields.deadline = "Cette date n'existe pas : vérifiez le jour et le "
      + "mois.";
  } else if (deadline < parisDay(ctx.now())) {
    fields.deadline = "Cette date est passée : choisissez une échéance à "
      + "venir.";
  }
  if (!description) fields.description = "Décrivez ce qui est attendu.";
  if (Object.keys(fields).length) {
    throw invalid("Le cahier des charges n'a pas pu être enregistré.",
      fields);
  }
  const [text] = isUuid(input.textId ?? "") ? await ctx.db.select()
    .from(doctrineTexts).where(eq(doctrineTexts.id, input.textId)) : [];
  if (!text) throw notFound("Ce texte n'existe pas.");
  if (!text.validatedVersion) {
    throw conflict("Seul un texte validé dans la doctrine reçoit un cahier "
      + "des charges.");
  }

  return ctx.db.transaction(async (tx) => {
    const [brief] = await tx.insert(doctrineBriefs).values({
      textId: text.id, audience, format, themes, deadline,
      description, createdBy: personIdOf(ctx.actor), createdAt: ctx.now(),
    }).returning();
    await recordAudit(tx, ctx.actor, { action: "doctrine.brief_written",
      subjectKind: "doctrine_brief", subjectId: brief.id,
      details: { textId: text.id, format, deadline } },
    ctx.now());

    return brief;
  });
}

async function loadBrief(db: Db, briefId: string, lock = false) {
  if (!isUuid(briefId ?? "")) throw notFound("Ce cahier des charges "
    + "n'existe pas.");
  const select = db.select().from(doctrineBriefs)
    .where(eq(doctrineBriefs.id, briefId));
  const [brief] = lock ? await select.for("update") : await select;
  if (!brief) throw notFound("Ce cahier des charges n'existe pas.");

  return brief;
}

/** An ally offers to make the adaptation, with a message; once. */
export async function volunteerForBrief(
  ctx: Ctx, input: { briefId: string; message: string },
) {
  const person = requirePerson(ctx.actor);
  if (!canVolunteer(ctx.actor)) {
    throw forbidden("Les allié·es se proposent ; l'équipe choisit.");
  }
  const message = normalise(input.message ?? "").trim();
  if (!message || message.length > 5000) {
    throw invalid("Votre proposition n'a pas pu être enregistrée.",
      { message: message ? "5 000 caractères au plus."
        : "Dites en quelques mots ce que vous proposez." });
  }
  const brief = await loadBrief(ctx.db, input.briefId);
  if (brief.status !== "open") {
    throw conflict("Ce cahier des charges est déjà attribué.");
  }

  try {
    return await ctx.db.transaction(async (tx) => {
      const [volunteer] = await tx.insert(doctrineVolunteers).values({
        briefId: brief.id, personId: person.id, message,
        createdAt: ctx.now(),
      }).returning();
      await recordAudit(tx, ctx.actor, { action: "doctrine.volunteered",
        subjectKind: "doctrine_brief", subjectId: brief.id }, ctx.now());

      return volunteer;
    });
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) {
      throw conflict("Vous vous êtes déjà proposé·e pour ce cahier des "
        + "charges.");
    }
    throw error;
  }
}

/** Staff pick one volunteer; everyone who offered is told. */
export async function pickVolunteer(
  ctx: Ctx, input: { briefId: string; personId: string },
): Promise<Brief> {
  if (!canPickVolunteer(ctx.actor)) {
    throw ctx.actor.kind === "visitor" ? unauthenticated() : forbidden();
  }

  return ctx.db.transaction(async (tx) => {
    const brief = await loadBrief(tx, input.briefId, true);
    if (brief.status !== "open") {
      throw conflict("Ce cahier des charges est déjà attribué.");
    }
    const volunteers = await tx.select().from(doctrineVolunteers)
      .where(eq(doctrineVolunteers.briefId, brief.id));
    if (!volunteers.some((v) => v.personId === input.personId)) {
      throw invalid("Choisissez une personne qui s'est proposée.",
        { personId: "Choisissez une personne qui s'est proposée." });
    }
    const [picked] = await tx.update(doctrineBriefs).set({
      status: "assigned", chosenPersonId: input.personId,
    }).where(eq(doctrineBriefs.id, brief.id)).returning();
    await recordAudit(tx, ctx.actor, { action: "doctrine.volunteer_picked",
      subjectKind: "doctrine_brief", subjectId: brief.id,
      details: { personId: input.personId } }, ctx.now());

    const [text] = await tx.select().from(doctrineTexts)
      .where(eq(doctrineTexts.id, brief.textId));
    const title = await titleOf(tx, text.documentId);
    const url = textUrl(ctx.config, text.slug);
    for (const v of volunteers) {
      const chosen = v.personId === input.personId;
      await mailPerson(tx, ctx.config, v.personId, {
        key: `doctrine-brief-picked:${brief.id}:${v.personId}`,
        subject: chosen ? `Vous réalisez l'adaptation de « ${title} »`
          : `Adaptation de « ${title} » : merci de votre proposition`,
        text: chosen
          ? `Bonjour,\n\nL'équipe vous confie l'adaptation (${brief.format}, `
            + `pour ${brief.audience}) du texte « ${title} », attendue pour `
            + `le ${brief.deadline}. Merci !\n\n${url}`
          : `Bonjour,\n\nMerci de vous être proposé·e pour l'adaptation `
            + `(${brief.format}) du texte « ${title} ». L'équipe l'a confiée `
            + `à une autre personne cette fois-ci.\n\n${url}`,
      });
    }

    return picked;
  });
}

export interface ResultInput {
  briefId: string;
  url?: string;
  /** A reference to a file: a document of the base, a shared folder… */
  file?: string;
  description: string;
}

/** Staff, or the chosen person, attach what was made to the text. */
export async function attachBriefResult(
  ctx: Ctx, input: ResultInput,
): Promise<Brief> {
  requirePerson(ctx.actor);
  const brief = await loadBrief(ctx.db, input.briefId);
  if (!canAttachBriefResult(ctx.actor, brief)) throw forbidden();
  const url = (input.url ?? "").trim() || null;
  const file = (input.file ?? "").trim() || null;
  const description = normalise(input.description ?? "").trim();
  const fields: Record<string, string> = {};
  if (url && !HTTP_URL.test(url)) {
    fields.url = "Une adresse qui commence par http:// ou https://.";
  }
  const fileRef = file ? await readResultFile(ctx.db, file) : null;
  if (file && !fileRef) {
    fields.file = "Indiquez l'adresse d'un document publié du fonds "
      + "documentaire (/fonds/documents/…) ou celle d'un dossier partagé "
      + "(http:// ou https://).";
  }
  if (!url && !file) fields.url = "Donnez un lien ou une référence de "
    + "fichier.";
  if (!description) fields.description = "Décrivez ce qui a été réalisé.";
  if (Object.keys(fields).length) {
    throw invalid("Le résultat n'a pas pu être enregistré.", fields);
  }

  return ctx.db.transaction(async (tx) => {
    const locked = await loadBrief(tx, brief.id, true);
    if (locked.status === "open") {
      throw conflict("Choisissez d'abord la personne qui réalise "
        + "l'adaptation.");
    }
    const [done] = await tx.update(doctrineBriefs).set({
      status: "delivered", resultUrl: url, resultFile: fileRef,
      resultDescription: description, deliveredAt: ctx.now(),
    }).where(eq(doctrineBriefs.id, brief.id)).returning();
    // A new result replaces the one shown (a corrected link, a new
    // edition); the trail keeps the one it replaces.
    const replaced = locked.status === "delivered";
    await recordAudit(tx, ctx.actor, { action: replaced
      ? "doctrine.brief_result_replaced" : "doctrine.brief_delivered",
    subjectKind: "doctrine_brief", subjectId: brief.id,
    details: { url, file: fileRef, description, ...(replaced ? {
      previous: { url: locked.resultUrl, file: locked.resultFile,
        description: locked.resultDescription,
        deliveredAt: locked.deliveredAt?.toISOString() } } : {}) } },
    ctx.now());

    return done;
  });
}

/**
 * A result's file: the http(s) address of a shared folder as given, or a
 * published document of the base, by its address on the site or its slug,
 * kept as its address. Null when it is neither.
 */
async function readResultFile(db: Db, value: string) {
  if (HTTP_URL.test(value)) return value;
  const slug = DOCUMENT_REF.exec(value)?.[1];
  const [document] = slug ? await db.select({ slug: documents.slug })
    .from(documents).where(and(eq(documents.slug, slug),
      eq(documents.status, "published"))) : [];

  return document ? `/fonds/documents/${document.slug}` : null;
}

/** Lowercase, without accents: "Vidéo" meets "video". */
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "")
  .toLowerCase().trim();

/**
 * True when one of the skills meets the brief's format or one of its
 * themes: either contains the other, once folded.
 */
export function skillsMatch(skills: string[], brief: Pick<Brief,
  "format" | "themes">): boolean {
  const wanted = [brief.format, ...brief.themes].map(fold).filter(Boolean);

  return skills.map(fold).filter(Boolean).some((skill) => wanted.some((w) =>
    w.includes(skill) || skill.includes(w)));
}

export interface VolunteerView {
  personId: string;
  fullName: string;
  message: string;
  createdAt: Date;
  /** Skills of the organisations the person acts for, in the directory. */
  skills: string[];
  matches: boolean;
}

/** The volunteers of a brief with their skills, for staff. */
export async function findVolunteers(
  ctx: Ctx, brief: Brief,
): Promise<VolunteerView[]> {
  if (!canPickVolunteer(ctx.actor)) return [];
  const rows = await ctx.db.select({ volunteer: doctrineVolunteers,
    fullName: people.fullName }).from(doctrineVolunteers)
    .innerJoin(people, eq(people.id, doctrineVolunteers.personId))
    .where(eq(doctrineVolunteers.briefId, brief.id))
    .orderBy(asc(doctrineVolunteers.createdAt));
  const ids = rows.map((r) => r.volunteer.personId);
  const skillRows = ids.length ? await ctx.db.select({
    personId: memberships.personId, skills: organisations.skills })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(inArray(memberships.personId, ids)) : [];

  return rows.map((r) => {
    const skills = [...new Set(skillRows
      .filter((s) => s.personId === r.volunteer.personId)
      .flatMap((s) => s.skills))];

    return { personId: r.volunteer.personId, fullName: r.fullName,
      message: r.volunteer.message, createdAt: r.volunteer.createdAt, skills,
      matches: skillsMatch(skills, brief) };
  });
}

export interface BriefView {
  brief: Brief;
  chosenName: string | null;
  volunteers: VolunteerView[];
  volunteerCount: number;
  /** The actor already offered to make it. */
  mine: boolean;
}

/** The briefs of a text, with what the actor may see of volunteers. */
export async function findBriefs(
  ctx: Ctx, textId: string,
): Promise<BriefView[]> {
  const briefs = await ctx.db.select({ brief: doctrineBriefs,
    chosenName: people.fullName }).from(doctrineBriefs)
    .leftJoin(people, eq(people.id, doctrineBriefs.chosenPersonId))
    .where(eq(doctrineBriefs.textId, textId))
    .orderBy(asc(doctrineBriefs.createdAt));
  const me = personIdOf(ctx.actor);

  return Promise.all(briefs.map(async ({ brief, chosenName }) => {
    const all = await ctx.db.select({ personId: doctrineVolunteers.personId })
      .from(doctrineVolunteers).where(eq(doctrineVolunteers.briefId,
        brief.id));

    return { brief, chosenName, volunteers: await findVolunteers(ctx, brief),
      volunteerCount: all.length,
      mine: Boolean(me && all.some((v) => v.personId === me)) };
  }));
}
