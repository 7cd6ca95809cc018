/**
 * The operator dashboard at /dashboard: the files that `npm run build:dashboard` writes (npm start
 * runs it first).
 */
import { staticBuildRoutes } from "../api/static-build-routes.ts";
import { DASHBOARD_DIST } from "../dashboard/paths.ts";

export const dashboardRoutes = staticBuildRoutes({ dist: DASHBOARD_DIST, name: "dashboard", buildScript: "build:dashboard" });
