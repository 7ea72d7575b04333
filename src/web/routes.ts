import type { FastifyPluginAsync } from "fastify";
import { directoryRoutes } from "../features/directory/routes.tsx";
import { homeRoutes } from "../features/home/routes.tsx";
import { territoryRoutes } from "../features/territories/routes.tsx";

/** Every feature's routes, registered in this order by the app. */
export const routes: FastifyPluginAsync[] = [
  homeRoutes,
  territoryRoutes,
  directoryRoutes,
];
