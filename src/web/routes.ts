import type { FastifyPluginAsync } from "fastify";
import { directoryRoutes } from "../features/directory/routes.tsx";
import { directoryEditRoutes } from "../features/directory/edit-routes.tsx";
import { directoryProfileRoutes }
  from "../features/directory/profile-routes.tsx";
import { directoryImportRoutes } from "../features/directory/import-routes.tsx";
import { directoryApiRoutes } from "../features/directory/api-routes.ts";
import { accountRoutes } from "../features/accounts/routes.tsx";
import { accountAdminRoutes } from "../features/accounts/admin-routes.tsx";
import { agendaRoutes } from "../features/agenda/routes.tsx";
import { agendaEditRoutes } from "../features/agenda/edit-routes.tsx";
import { agendaRegistrationRoutes }
  from "../features/agenda/registration-routes.ts";
import { agendaAttendanceRoutes }
  from "../features/agenda/attendance-routes.tsx";
import { agendaImportRoutes } from "../features/agenda/import-routes.tsx";
import { agendaApiRoutes } from "../features/agenda/api-routes.ts";
import { territoryRoutes } from "../features/territories/routes.tsx";
import { auditRoutes } from "../features/audit/routes.tsx";
import { ballotRoutes } from "../features/ballots/routes.tsx";
import { homeRoutes } from "../features/home/routes.tsx";
import { labelRoutes } from "../features/labels/routes.tsx";
import { initiativeRoutes } from "../features/initiatives/routes.tsx";
import { initiativeFormRoutes } from "../features/initiatives/form-routes.tsx";
import {
  initiativePublicationRoutes,
} from "../features/initiatives/publication-routes.tsx";
import {
  initiativePoolingRoutes,
} from "../features/initiatives/pooling-routes.tsx";
import { initiativeApiRoutes } from "../features/initiatives/api-routes.ts";
import { sheetRoutes } from "../features/sheets/routes.tsx";
import { sheetEditRoutes } from "../features/sheets/edit-routes.tsx";
import { sheetTrainingRoutes } from "../features/sheets/training-routes.tsx";
import { sheetApiRoutes } from "../features/sheets/api-routes.ts";
import { doctrineRoutes } from "../features/doctrine/routes.tsx";
import { documentRoutes } from "../features/documents/routes.tsx";
import { documentReviewRoutes }
  from "../features/documents/review-routes.tsx";

/** Every feature's routes, registered in this order by the app. */
export const routes: FastifyPluginAsync[] = [
  homeRoutes,
  accountRoutes,
  accountAdminRoutes,
  agendaRoutes,
  agendaEditRoutes,
  agendaRegistrationRoutes,
  agendaAttendanceRoutes,
  agendaImportRoutes,
  agendaApiRoutes,
  territoryRoutes,
  directoryRoutes,
  directoryEditRoutes,
  directoryProfileRoutes,
  directoryImportRoutes,
  directoryApiRoutes,
  ballotRoutes,
  labelRoutes,
  doctrineRoutes,
  auditRoutes,
  initiativeRoutes,
  initiativeFormRoutes,
  initiativePublicationRoutes,
  initiativePoolingRoutes,
  initiativeApiRoutes,
  sheetRoutes,
  sheetEditRoutes,
  sheetTrainingRoutes,
  sheetApiRoutes,
  documentRoutes,
  documentReviewRoutes,
];
