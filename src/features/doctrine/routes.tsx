import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { DomainError, forbidden, notFound } from "../../domain/errors.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { closeBallot } from "../ballots/ballots.ts";
import { uuidOr404 } from "../ballots/routes.tsx";
import {
  attachBriefResult, pickVolunteer, volunteerForBrief, writeBrief,
} from "./briefs.ts";
import {
  addComment, decideAmendment, hideComment, proposeAmendment,
} from "./debate.ts";
import { canOpenDoctrineBallot } from "./policy.ts";
import {
  compareVersions, getDoctrinePage, getDoctrineText,
} from "./queries.ts";
import {
  findDoctrine, findDoctrineProposals, findProposableDocuments,
  openDebate, proposeDoctrine,
} from "./texts.ts";
import { openValidationBallot } from "./validation.ts";
import { TextPage } from "./text-views.tsx";
import { VersionsPage } from "./version-views.tsx";
import {
  DoctrineIndexPage, ProposalsPage, type Forms, type FormState,
} from "./views.tsx";
import { textOf } from "../../web/fields.ts";

type Body = Record<string, string | undefined>;
type Slug = { Params: { slug: string } };
type SlugId = { Params: { slug: string; id: string } };


/** The invalid-input error of a use case, or null for any other outcome. */
async function tryForm(run: () => Promise<unknown>) {
  try {
    await run();

    return null;
  } catch (error) {
    if (error instanceof DomainError && error.code === "invalid") {
      return { message: error.message, fields: error.fields };
    }
    throw error;
  }
}

export const doctrineRoutes: FastifyPluginAsync = async (app) => {
  app.get("/doctrine", async (request, reply) => {
    const entries = await findDoctrine(request.ctx());

    return sendPage(request, reply, "Doctrine", (page) =>
      <DoctrineIndexPage page={page} entries={entries} />);
  });

  const proposalsPage = async (request: FastifyRequest, reply: FastifyReply,
    form: FormState = {}, status = 200) => {
    const ctx = request.ctx();
    const [entries, documents] = await Promise.all([
      findDoctrineProposals(ctx), findProposableDocuments(ctx)]);

    return sendPage(request, reply, "Textes en examen", (page) => (
      <ProposalsPage page={page} entries={entries} documents={documents}
        form={form} />), status);
  };
  app.get("/doctrine/propositions", (request, reply) =>
    proposalsPage(request, reply));
  app.post<{ Body: Body }>("/doctrine/propositions",
    async (request, reply) => {
      const b = request.body ?? {};
      let slug = "";
      const error = await tryForm(async () => {
        ({ slug } = await proposeDoctrine(request.ctx(), {
          documentId: textOf(b.documentId), reason: textOf(b.reason) }));
      });
      if (error) return proposalsPage(request, reply, { values: b, error }, 400);

      return redirectWithFlash(reply, `/doctrine/${slug}`,
        "Texte proposé : l'équipe ouvrira le débat.");
    });

  const textPage = async (request: FastifyRequest<Slug>,
    reply: FastifyReply, forms: Forms = {}, status = 200) => {
    const data = await getDoctrinePage(request.ctx(), request.params.slug);

    return sendPage(request, reply, data.document.title, (page) =>
      <TextPage page={page} data={data} forms={forms} />, status);
  };
  app.get<Slug>("/doctrine/:slug", (request, reply) =>
    textPage(request, reply));

  app.get<Slug & { Querystring: { de?: string; a?: string } }>(
    "/doctrine/:slug/versions", async (request, reply) => {
      const ctx = request.ctx();
      const { slug } = request.params;
      let { de, a } = request.query;
      if (!de || !a) {
        const { versions } = await compareVersions(ctx,
          { slug, from: "1", to: "1" });
        const last = versions[versions.length - 1].version.number;
        a = a || String(last);
        de = de || String(Math.max(1, Number(a) - 1 || 1));
      }
      try {
        const data = await compareVersions(ctx, { slug, from: de, to: a });

        return sendPage(request, reply, `${data.document.title} : versions`,
          (page) => <VersionsPage page={page} data={data} />);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "invalid") {
          throw error;
        }
        const data = await compareVersions(ctx, { slug, from: "1", to: "1" });

        return sendPage(request, reply, `${data.document.title} : versions`,
          (page) => <VersionsPage page={page} data={data}
            error={error.message} />, 400);
      }
    });

  /**
   * Runs a form of the text page; on invalid input, renders the page again
   * with that form's input and messages (400).
   */
  const textForm = async (request: FastifyRequest<Slug>,
    reply: FastifyReply, name: string,
    run: (textId: string) => Promise<unknown>, flash: string,
    anchor = "") => {
    const { text } = await getDoctrineText(request.ctx(),
      request.params.slug);
    const error = await tryForm(() => run(text.id));
    if (error) {
      return textPage(request, reply,
        { [name]: { values: request.body as Body, error } }, 400);
    }

    return redirectWithFlash(reply, `/doctrine/${text.slug}${anchor}`,
      flash);
  };

  app.post<Slug & { Body: Body }>("/doctrine/:slug/debat",
    (request, reply) => textForm(request, reply, "debate",
      (textId) => openDebate(request.ctx(),
        { textId, endsAt: textOf(request.body?.endsAt) }),
      "Le débat est ouvert."));

  app.post<Slug & { Body: Body }>("/doctrine/:slug/commentaires",
    (request, reply) => {
      const b = request.body ?? {};
      const name = b.parentId ? `reply-${b.parentId}` : "comment";

      return textForm(request, reply, name, (textId) => addComment(
        request.ctx(), { textId, body: textOf(b.body),
          parentId: b.parentId || undefined }),
      "Commentaire publié.", "#debat");
    });

  app.post<SlugId>("/doctrine/:slug/commentaires/:id/masquer",
    (request, reply) => {
      const commentId = uuidOr404(request.params.id);

      return textForm(request, reply, `hide-${commentId}`, (textId) =>
        hideComment(request.ctx(), { textId, commentId }),
      "Commentaire masqué.", `#commentaire-${commentId}`);
    });

  app.post<Slug & { Body: Body }>("/doctrine/:slug/amendements",
    (request, reply) => {
      const b = request.body ?? {};

      return textForm(request, reply, "amendment", (textId) =>
        proposeAmendment(request.ctx(), { textId, passage: textOf(b.passage),
          replacement: textOf(b.replacement), reason: textOf(b.reason) }),
      "Amendement proposé.", "#debat");
    });

  app.post<SlugId & { Body: Body }>(
    "/doctrine/:slug/amendements/:id/decision", (request, reply) => {
      const b = request.body ?? {};
      const amendmentId = uuidOr404(request.params.id);

      return textForm(request, reply, `decision-${amendmentId}`, () =>
        decideAmendment(request.ctx(), { amendmentId,
          decision: textOf(b.decision), note: b.note }),
      b.decision === "accept" ? "Amendement accepté : une nouvelle version "
        + "du texte est enregistrée." : "Amendement refusé.", "#debat");
    });

  app.post<Slug & { Body: Body }>("/doctrine/:slug/scrutin",
    (request, reply) => {
      const b = request.body ?? {};

      return textForm(request, reply, "ballot", (textId) =>
        openValidationBallot(request.ctx(), { textId,
          closesAt: textOf(b.closesAt), quorumKind: textOf(b.quorumKind),
          quorumValue: textOf(b.quorumValue), majority: textOf(b.majority) }),
      "Le scrutin de validation est ouvert : les allié·es sont prévenu·es.");
    });

  app.post<Slug>("/doctrine/:slug/scrutin/cloture", async (request, reply) => {
    requirePerson(request.actor);
    if (!canOpenDoctrineBallot(request.actor)) throw forbidden();
    const { text } = await getDoctrineText(request.ctx(),
      request.params.slug);
    if (text.status !== "voting" || !text.ballotId) {
      throw notFound("Aucun scrutin n'est en cours sur ce texte.");
    }
    await closeBallot(request.ctx(), text.ballotId);

    return redirectWithFlash(reply, `/doctrine/${text.slug}`,
      "Le scrutin est clos et la décision enregistrée.");
  });

  app.post<Slug & { Body: Body }>("/doctrine/:slug/cahiers",
    (request, reply) => {
      const b = request.body ?? {};

      return textForm(request, reply, "brief", (textId) =>
        writeBrief(request.ctx(), { textId, audience: textOf(b.audience),
          format: textOf(b.format), themes: textOf(b.themes),
          deadline: textOf(b.deadline), description: textOf(b.description) }),
      "Cahier des charges enregistré.", "#adaptations");
    });

  app.post<SlugId & { Body: Body }>("/doctrine/:slug/cahiers/:id/volontaires",
    (request, reply) => {
      const briefId = uuidOr404(request.params.id);

      return textForm(request, reply, `volunteer-${briefId}`, () =>
        volunteerForBrief(request.ctx(), { briefId,
          message: textOf(request.body?.message) }),
      "Merci : votre proposition est transmise à l'équipe.",
      "#adaptations");
    });

  app.post<SlugId & { Body: Body }>("/doctrine/:slug/cahiers/:id/choix",
    (request, reply) => {
      const briefId = uuidOr404(request.params.id);

      return textForm(request, reply, `pick-${briefId}`, () =>
        pickVolunteer(request.ctx(), { briefId,
          personId: textOf(request.body?.personId) }),
      "Adaptation confiée : les volontaires sont prévenu·es.",
      "#adaptations");
    });

  app.post<SlugId & { Body: Body }>("/doctrine/:slug/cahiers/:id/resultat",
    (request, reply) => {
      const b = request.body ?? {};
      const briefId = uuidOr404(request.params.id);

      return textForm(request, reply, `result-${briefId}`, () =>
        attachBriefResult(request.ctx(), { briefId, url: b.url,
          file: b.file, description: textOf(b.description) }),
      "Résultat joint au texte.", "#adaptations");
    });
};
