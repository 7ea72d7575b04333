import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { requirePerson } from "../../domain/context.ts";
import { DomainError, forbidden } from "../../domain/errors.ts";
import { createFeed } from "../../web/feed.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import type { PageCtx } from "../../web/layout.tsx";
import { closeBallot } from "../ballots/ballots.ts";
import { uuidOr404 } from "../ballots/routes.tsx";
import {
  addCollectiveMember, createCollective, findCollectives,
  removeCollectiveMember,
} from "./collectives.ts";
import { addDecisionReasons, withdrawLabel } from "./decisions.ts";
import { createLabel, findLabels, getLabel, updateLabel } from "./labels.ts";
import { canConfigureLabels } from "./policy.ts";
import {
  findLabellingSessions, findProposableInitiatives, findProposals,
  getProposal, proposeInitiative,
} from "./proposals.ts";
import "./initiative-extensions.ts";
import { findRegister } from "./register.ts";
import {
  CollectivesPage, LabelEditPage, LabelsAdminPage, NewProposalPage,
  ProposalPage, ProposalsPage, RegisterPage, type FormState,
} from "./views.tsx";
import { textOf } from "../../web/fields.ts";

type Body = Record<string, string | undefined>;
type Id = { Params: { id: string } };

function staffOnly(request: FastifyRequest) {
  requirePerson(request.actor);
  if (!canConfigureLabels(request.actor)) throw forbidden();
}

/**
 * Runs a form's use case; on invalid input, renders the form again with
 * what was typed and the French messages (400), so nothing is lost.
 */
async function handleForm(
  reply: FastifyReply, run: () => Promise<unknown>,
  rerender: (form: FormState) => Promise<unknown>, success: () => unknown,
) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "invalid") {
      throw error;
    }
    reply.code(400);

    return rerender({ error: { message: error.message,
      fields: error.fields } });
  }

  return success();
}


export const labelRoutes: FastifyPluginAsync = async (app) => {
  const send = (request: FastifyRequest, reply: FastifyReply, title: string,
    body: (page: PageCtx) => any) =>
    sendPage(request, reply, title, body, reply.statusCode);

  // Labels and their criteria.
  const labelsPage = async (request: FastifyRequest, reply: FastifyReply,
    form: FormState = {}) => {
    staffOnly(request);
    const labels = await findLabels(request.ctx());

    return send(request, reply, "Labels", (page) =>
      <LabelsAdminPage page={page} labels={labels} form={form} />);
  };
  app.get("/admin/labels", (request, reply) => labelsPage(request, reply));
  app.post<{ Body: Body }>("/admin/labels", async (request, reply) => {
    const b = request.body ?? {};
    const input = { name: textOf(b.name), description: b.description,
      criteria: textOf(b.criteria) };

    return handleForm(reply, () => createLabel(request.ctx(), input),
      (form) => labelsPage(request, reply, { ...form, values: b }),
      () => redirectWithFlash(reply, "/admin/labels", "Label créé."));
  });
  const editPage = async (request: FastifyRequest<Id>, reply: FastifyReply,
    form: FormState = {}) => {
    staffOnly(request);
    const label = await getLabel(request.ctx(), uuidOr404(request.params.id));

    return send(request, reply, label.name, (page) =>
      <LabelEditPage page={page} label={label} form={form} />);
  };
  app.get<Id>("/admin/labels/:id", (request, reply) =>
    editPage(request, reply));
  app.post<Id & { Body: Body }>("/admin/labels/:id", async (request, reply) => {
    const b = request.body ?? {};
    const id = uuidOr404(request.params.id);

    return handleForm(reply, () => updateLabel(request.ctx(), { id,
      name: textOf(b.name), description: b.description,
      criteria: textOf(b.criteria) }),
      (form) => editPage(request, reply, { ...form, values: b }),
      () => redirectWithFlash(reply, "/admin/labels", "Label enregistré."));
  });

  // Collectives and their members.
  const collectivesPage = async (request: FastifyRequest,
    reply: FastifyReply, form: FormState = {}) => {
    staffOnly(request);
    const collectives = await findCollectives(request.ctx());

    return send(request, reply, "Collectifs de labellisation", (page) =>
      <CollectivesPage page={page} collectives={collectives} form={form} />);
  };
  app.get("/admin/collectifs", (request, reply) =>
    collectivesPage(request, reply));
  app.post<{ Body: Body }>("/admin/collectifs", async (request, reply) => {
    const b = request.body ?? {};

    return handleForm(reply, () => createCollective(request.ctx(), {
      name: textOf(b.name), startsOn: textOf(b.startsOn), endsOn: textOf(b.endsOn),
      quorumKind: textOf(b.quorumKind), quorumValue: textOf(b.quorumValue),
      majority: textOf(b.majority), memberEmails: textOf(b.memberEmails),
    }), (form) => collectivesPage(request, reply, { ...form, values: b }),
    () => redirectWithFlash(reply, "/admin/collectifs", "Collectif nommé."));
  });
  app.post<Id & { Body: Body }>("/admin/collectifs/:id/membres",
    async (request, reply) => {
      const collectiveId = uuidOr404(request.params.id);

      return handleForm(reply, () => addCollectiveMember(request.ctx(),
        { collectiveId, email: textOf(request.body?.email) }),
      (form) => collectivesPage(request, reply, form),
      () => redirectWithFlash(reply, "/admin/collectifs", "Membre ajouté."));
    });
  app.post<{ Params: { id: string; personId: string } }>(
    "/admin/collectifs/:id/membres/:personId/retrait",
    async (request, reply) => {
      const input = { collectiveId: uuidOr404(request.params.id),
        personId: uuidOr404(request.params.personId) };

      return handleForm(reply, () => removeCollectiveMember(request.ctx(),
        input), (form) => collectivesPage(request, reply, form),
      () => redirectWithFlash(reply, "/admin/collectifs", "Membre retiré."));
    });

  // Proposals, closing, reasons, withdrawal.
  app.get("/admin/propositions", async (request, reply) => {
    staffOnly(request);
    const [labels, proposals] = await Promise.all([
      findLabels(request.ctx()), findProposals(request.ctx())]);

    return sendPage(request, reply, "Propositions de label", () =>
      <ProposalsPage labels={labels} proposals={proposals} />);
  });
  const newProposalPage = async (request: FastifyRequest,
    reply: FastifyReply, labelId: string, form: FormState = {}) => {
    staffOnly(request);
    const ctx = request.ctx();
    const label = await getLabel(ctx, uuidOr404(labelId));
    const initiatives = await findProposableInitiatives(ctx);
    const collectives = await findCollectives(ctx);
    const sessions = await findLabellingSessions(ctx);

    return send(request, reply, "Nouvelle proposition", (page) => (
      <NewProposalPage page={page} label={label} initiatives={initiatives}
        collectives={collectives} sessions={sessions} form={form} />));
  };
  app.get<{ Querystring: { label?: string } }>("/admin/propositions/nouvelle",
    (request, reply) => newProposalPage(request, reply,
      textOf(request.query.label)));
  app.post<{ Body: Body }>("/admin/propositions", async (request, reply) => {
    const b = request.body ?? {};
    const readings = Object.keys(b).filter((k) => /^reading\d+$/.test(k))
      .sort((x, y) => Number(x.slice(7)) - Number(y.slice(7)))
      .map((k) => textOf(b[k]));
    let proposalId = "";

    return handleForm(reply, async () => {
      ({ id: proposalId } = await proposeInitiative(request.ctx(), {
        labelId: textOf(b.labelId), initiativeId: textOf(b.initiativeId),
        collectiveId: textOf(b.collectiveId), closesAt: textOf(b.closesAt),
        occurrenceId: b.occurrenceId || undefined, readings }));
    }, (form) => newProposalPage(request, reply, textOf(b.labelId),
      { ...form, values: b }),
    () => redirectWithFlash(reply, `/admin/propositions/${proposalId}`,
      "Proposition enregistrée : le scrutin est ouvert."));
  });
  const proposalPage = async (request: FastifyRequest<Id>,
    reply: FastifyReply, form: FormState = {}) => {
    staffOnly(request);
    const row = await getProposal(request.ctx(), request.params.id);

    return send(request, reply, row.initiativeTitle, (page) =>
      <ProposalPage page={page} row={row} form={form} />);
  };
  app.get<Id>("/admin/propositions/:id", (request, reply) =>
    proposalPage(request, reply));
  app.post<Id>("/admin/propositions/:id/cloture", async (request, reply) => {
    staffOnly(request);
    const row = await getProposal(request.ctx(), request.params.id);
    await closeBallot(request.ctx(), row.ballot.id);

    return redirectWithFlash(reply, `/admin/propositions/${row.proposal.id}`,
      "Le scrutin est clos et la décision enregistrée.");
  });
  app.post<Id & { Body: Body }>("/admin/propositions/:id/motifs",
    async (request, reply) => {
      const proposalId = uuidOr404(request.params.id);

      return handleForm(reply, () => addDecisionReasons(request.ctx(),
        { proposalId, reasons: textOf(request.body?.reasons) }),
      (form) => proposalPage(request, reply,
        { ...form, values: request.body }),
      () => redirectWithFlash(reply, `/admin/propositions/${proposalId}`,
        "Motifs enregistrés."));
    });
  app.post<Id & { Body: Body }>("/admin/propositions/:id/retrait",
    async (request, reply) => {
      staffOnly(request);
      const row = await getProposal(request.ctx(), request.params.id);
      if (!row.grant) throw forbidden("Aucun label n'a été attribué.");
      const grantId = row.grant.id;

      return handleForm(reply, () => withdrawLabel(request.ctx(),
        { grantId, reason: textOf(request.body?.reason) }),
      (form) => proposalPage(request, reply,
        { ...form, values: request.body }),
      () => redirectWithFlash(reply, `/admin/propositions/${row.proposal.id}`,
        "Le label est retiré."));
    });

  // The public register, its feed and its API.
  app.get<{ Querystring: { label?: string } }>("/labels",
    async (request, reply) => {
      const ctx = request.ctx();
      const current = request.query.label || undefined;
      const [labels, entries] = await Promise.all([findLabels(ctx),
        findRegister(ctx, { labelSlug: current })]);

      return sendPage(request, reply, "Registre des labels", () =>
        <RegisterPage labels={labels} entries={entries} current={current} />);
    });

  app.get("/labels/flux.xml", async (request, reply) => {
    const { baseUrl, siteName } = app.config;
    const entries = await findRegister(request.ctx());
    const feed = createFeed({
      title: `${siteName} — registre des labels`,
      id: `${baseUrl}/labels`, link: `${baseUrl}/labels`, language: "fr",
      copyright: "", updated: entries[0]?.grantedAt ?? new Date(0),
      feedLinks: { rss: `${baseUrl}/labels/flux.xml` },
    }, entries.map((e) => {
      const withdrawn = e.withdrawnAt
        ? ` (retiré le ${e.withdrawnAt.toISOString().slice(0, 10)} : `
          + `${e.withdrawalReason})` : "";

      return {
        title: `${e.initiativeTitle} — label « ${e.labelName} »${
          e.withdrawnAt ? " (retiré)" : ""}`,
        id: `${baseUrl}/labels#${e.grantId}`,
        url: `${baseUrl}/initiatives/${e.initiativeSlug}`,
        summary: `${e.initiativeSummary}${withdrawn}`,
        date: e.withdrawnAt ?? e.grantedAt,
      };
    }));

    return reply.type("application/rss+xml; charset=utf-8").send(feed.rss2());
  });

  app.get("/api/labels", {
    schema: {
      tags: ["labels"],
      summary: "Registre des labels attribués, avec leur historique",
      querystring: Type.Object({
        label: Type.Optional(Type.String({ description: "slug du label" })),
        historique: Type.Optional(Type.Boolean({ default: true,
          description: "inclure les labels retirés" })),
      }),
      response: { 200: Type.Array(Type.Object({
        id: Type.String({ format: "uuid" }),
        label: Type.Object({ id: Type.String(), name: Type.String(),
          slug: Type.String() }),
        initiative: Type.Object({ id: Type.String(), title: Type.String(),
          slug: Type.String(), url: Type.String(),
          carriers: Type.Array(Type.String()) }),
        grantedAt: Type.String({ format: "date-time" }),
        withdrawnAt: Type.Union([Type.String({ format: "date-time" }),
          Type.Null()]),
        withdrawalReason: Type.Union([Type.String(), Type.Null()]),
      })) },
    },
  }, async (request) => {
    const q = request.query as { label?: string; historique?: boolean };
    const entries = await findRegister(request.ctx(), { labelSlug: q.label,
      includeWithdrawn: q.historique !== false });

    return entries.map((e) => ({
      id: e.grantId,
      label: { id: e.labelId, name: e.labelName, slug: e.labelSlug },
      initiative: { id: e.initiativeId, title: e.initiativeTitle,
        slug: e.initiativeSlug, carriers: e.carriers,
        url: `${app.config.baseUrl}/initiatives/${e.initiativeSlug}` },
      grantedAt: e.grantedAt.toISOString(),
      withdrawnAt: e.withdrawnAt?.toISOString() ?? null,
      withdrawalReason: e.withdrawalReason,
    }));
  });
};
