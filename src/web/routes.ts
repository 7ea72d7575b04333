import type { FastifyPluginAsync } from "fastify";
import { homeRoutes } from "../features/home/routes.tsx";
import { accountRoutes } from "../features/accounts/routes.tsx";
import { accountAdminRoutes } from "../features/accounts/admin-routes.tsx";
import { agendaRoutes } from "../features/agenda/routes.tsx";

/** Every feature's routes, registered in this order by the app. */
export const routes: FastifyPluginAsync[] = [
  homeRoutes,
  accountRoutes,
  accountAdminRoutes,
  agendaRoutes,
];
