/**
 * The layout service as a fastify plugin: the Connect LayoutService, the same over plain JSON
 * (/v1/layouts, /v1/widgets) and the operator dashboard (/dashboard). The server registers it
 * with what the layout service must not import itself, under its error handler.
 */
import { createContextValues } from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import type { FastifyPluginAsync } from "fastify";
import { connectErrors } from "../api/connect-errors.ts";
import { CALLER, type CallerOf } from "./access.ts";
import { dashboardRoutes } from "./dashboard-routes.ts";
import type { LayoutAdmin } from "./layout-admin.ts";
import { layoutRoutes } from "./layout-routes.ts";
import { layoutRpc } from "./layout-rpc.ts";

export interface LayoutServiceOptions {
  admin: LayoutAdmin;
  callerOf: CallerOf;
}

export function layoutService(options: LayoutServiceOptions): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyConnectPlugin, {
      routes: layoutRpc(options.admin),
      interceptors: [connectErrors((error) => app.log.error({ err: error }, "unhandled error"))],
      contextValues: (request) => createContextValues().set(CALLER, options.callerOf(request)),
    });
    // Its own scope: the Connect plugin replaces the JSON body parser in its scope.
    await app.register(layoutRoutes(options.admin, options.callerOf));
    await app.register(dashboardRoutes, { prefix: "/dashboard" });
  };
}
