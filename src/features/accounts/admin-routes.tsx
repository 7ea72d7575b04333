import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import {
  AdminIndexView, InviteView, JoinRequestsView, PeopleView, PersonAdminView,
} from "./admin-views.tsx";
import {
  acceptJoinRequest, findJoinRequests, invitePerson, refuseJoinRequest,
} from "./join.ts";
import {
  findAccounts, getPerson, setAccountDisabled, updateAccountRole,
} from "./people.ts";
import { canManageAccounts, denied } from "./policy.ts";
import { refusal } from "./routes.tsx";
import type { FormState } from "./views.tsx";

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const text = (maxLength = 500) => Type.String({ default: "", maxLength });

/** Staff pages about accounts, and the administration index. */
export const accountAdminRoutes: FastifyPluginAsync = async (plugin) => {
  const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/admin", async (request, reply) => {
    // The index lists every feature's pages: it is for staff only.
    if (!canManageAccounts(request.actor)) throw denied(request.actor);

    return sendPage(request, reply, "Administration",
      () => <AdminIndexView />);
  });

  app.get("/admin/adhesions", async (request, reply) => {
    const requests = await findJoinRequests(request.ctx());

    return sendPage(request, reply, "Demandes d'adhésion",
      (page) => <JoinRequestsView page={page} requests={requests} />);
  });

  app.post("/admin/adhesions/:id/accepter", { schema: { params: IdParams } },
    async (request, reply) => {
      const person = await acceptJoinRequest(request.ctx(),
        { personId: request.params.id });

      return redirectWithFlash(reply, "/admin/adhesions",
        `Demande de ${person.fullName} acceptée : une invitation lui est `
        + "envoyée.");
    });

  app.post("/admin/adhesions/:id/refuser", { schema: { params: IdParams } },
    async (request, reply) => {
      const person = await refuseJoinRequest(request.ctx(),
        { personId: request.params.id });

      return redirectWithFlash(reply, "/admin/adhesions",
        `Demande de ${person.fullName} refusée ; la personne en est avertie.`);
    });

  const invitePage = (
    request: FastifyRequest, reply: FastifyReply, state: FormState,
    status = 200,
  ) => {
    if (!canManageAccounts(request.actor)) throw denied(request.actor);

    return sendPage(request, reply, "Inviter une personne",
      (page) => <InviteView page={page} state={state} />, status);
  };

  app.get("/admin/invitations", async (request, reply) =>
    invitePage(request, reply, {}));

  app.post("/admin/invitations", {
    schema: { body: Type.Object({
      fullName: text(300), email: text(320), role: text(20),
    }) },
  }, async (request, reply) => {
    try {
      const person = await invitePerson(request.ctx(), request.body);

      return redirectWithFlash(reply, "/admin/invitations",
        `Invitation envoyée à ${person.fullName}.`);
    } catch (error) {
      const { state, status } = refusal(error, request.body);

      return invitePage(request, reply, state, status);
    }
  });

  app.get("/admin/personnes", {
    schema: { querystring: Type.Object({ statut: Type.Optional(text(20)) }) },
  }, async (request, reply) => {
    const { statut } = request.query;
    const people = await findAccounts(request.ctx(), { status: statut });

    return sendPage(request, reply, "Comptes",
      () => <PeopleView people={people} status={statut} />);
  });

  const personPage = async (
    request: FastifyRequest, reply: FastifyReply, id: string,
    state: FormState, status = 200,
  ) => {
    if (!canManageAccounts(request.actor)) throw denied(request.actor);
    const person = await getPerson(request.ctx(), id);

    return sendPage(request, reply, person.fullName, (page) => (
      <PersonAdminView page={page} person={person} state={state} />), status);
  };

  app.get("/admin/personnes/:id", { schema: { params: IdParams } },
    async (request, reply) =>
      personPage(request, reply, request.params.id, {}));

  app.post("/admin/personnes/:id", {
    schema: { params: IdParams, body: Type.Object({
      role: text(20), isFacilitator: Type.Optional(text(10)),
    }) },
  }, async (request, reply) => {
    const { id } = request.params;
    try {
      await updateAccountRole(request.ctx(), { personId: id,
        role: request.body.role,
        isFacilitator: Boolean(request.body.isFacilitator) });
    } catch (error) {
      const { state, status } = refusal(error, request.body);

      return personPage(request, reply, id, state, status);
    }

    return redirectWithFlash(reply, `/admin/personnes/${id}`,
      "Rôle enregistré.");
  });

  for (const [action, disabled] of [
    ["desactiver", true], ["reactiver", false],
  ] as const) {
    app.post(`/admin/personnes/:id/${action}`, {
      schema: { params: IdParams },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      await setAccountDisabled(request.ctx(), { personId: id, disabled });

      return redirectWithFlash(reply, `/admin/personnes/${id}`,
        disabled ? "Compte désactivé." : "Compte réactivé.");
    });
  }
};
