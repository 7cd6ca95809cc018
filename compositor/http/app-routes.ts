/** The reference client at /app: the files that `npm run build:app` writes (npm start runs it first). */
import { staticBuildRoutes } from "../../api/static-build-routes.ts";
import { APP_DIST } from "../../app/paths.ts";

export const appRoutes = staticBuildRoutes({ dist: APP_DIST, name: "app", buildScript: "build:app" });
