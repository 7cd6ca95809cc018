/**
 * The layout service as a fastify plugin: the Connect LayoutService, the same over plain JSON
 * (/v1/layouts, /v1/widgets) and the operator dashboard (/dashboard). The server registers it
 * with what the layout service must not import itself.
 */
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import type { FastifyPluginAsync } from "fastify";
import type { Authenticate } from "./access.ts";
import { dashboardRoutes } from "./dashboard-routes.ts";
import type { LayoutAdmin } from "./layout-admin.ts";
import { layoutRoutes } from "./layout-routes.ts";
import { layoutRpc } from "./layout-rpc.ts";

export interface LayoutServiceOptions {
  admin: LayoutAdmin;
  authenticate: Authenticate;
}

export function layoutService(options: LayoutServiceOptions): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyConnectPlugin, { routes: layoutRpc(options.admin, options.authenticate) });
    // Its own scope: the Connect plugin replaces the JSON body parser in its scope.
    await app.register(layoutRoutes(options.admin, options.authenticate));
    await app.register(dashboardRoutes, { prefix: "/dashboard" });
  };
}
