import type { FastifyPluginAsync } from "fastify";
import { auditRoutes } from "../features/audit/routes.tsx";
import { ballotRoutes } from "../features/ballots/routes.tsx";
import { homeRoutes } from "../features/home/routes.tsx";
import { labelRoutes } from "../features/labels/routes.tsx";

/** Every feature's routes, registered in this order by the app. */
export const routes: FastifyPluginAsync[] = [
  homeRoutes,
  ballotRoutes,
  labelRoutes,
  auditRoutes,
];
