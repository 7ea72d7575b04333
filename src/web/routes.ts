import type { FastifyPluginAsync } from "fastify";
import { homeRoutes } from "../features/home/routes.tsx";
import { initiativeRoutes } from "../features/initiatives/routes.tsx";

/** Every feature's routes, registered in this order by the app. */
export const routes: FastifyPluginAsync[] = [
  homeRoutes,
  initiativeRoutes,
];
