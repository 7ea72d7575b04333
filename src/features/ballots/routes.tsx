import type { FastifyPluginAsync } from "fastify";
import { requirePerson } from "../../domain/context.ts";
import { DomainError } from "../../domain/errors.ts";
import { redirectWithFlash, sendPage } from "../../web/render.tsx";
import { castVote, findMyOpenBallots, getBallot } from "./ballots.ts";
import { BallotPage, MyBallotsPage } from "./views.tsx";
import { isUuid } from "../../domain/ids.ts";

type VoteBody = { choice?: string; comment?: string };

export const ballotRoutes: FastifyPluginAsync = async (app) => {
  app.get("/mes-scrutins", async (request, reply) => {
    const ballots = await findMyOpenBallots(request.ctx());

    return sendPage(request, reply, "Mes scrutins",
      () => <MyBallotsPage ballots={ballots} />);
  });

  app.get<{ Params: { id: string } }>("/scrutins/:id",
    async (request, reply) => {
      requirePerson(request.actor);
      const view = await getBallot(request.ctx(), uuidOr404(request.params.id));

      return sendPage(request, reply, "Scrutin",
        (page) => <BallotPage page={page} view={view} />);
    });

  app.post<{ Params: { id: string }; Body: VoteBody }>("/scrutins/:id/vote",
    async (request, reply) => {
      const ballotId = uuidOr404(request.params.id);
      const body = request.body ?? {};
      try {
        const { revision } = await castVote(request.ctx(), {
          ballotId, choice: body.choice ?? "", comment: body.comment });

        return redirectWithFlash(reply, `/scrutins/${ballotId}`,
          revision === 1 ? "Votre vote est enregistré."
            : "Votre vote est modifié.");
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "invalid") {
          throw error;
        }
        const view = await getBallot(request.ctx(), ballotId);

        return sendPage(request, reply, "Scrutin", (page) => (
          <BallotPage page={page} view={view} form={{ values: body,
            error: { message: error.message, fields: error.fields } }} />
        ), 400);
      }
    });
};


/** A malformed id is a page that does not exist, not a database error. */
export function uuidOr404(id: string): string {
  if (!isUuid(id)) throw new DomainError("not_found", "Page introuvable.");

  return id;
}
