/**
 * The layout service as a fastify plugin: the Connect LayoutService, the same over plain JSON
 * (/v1/layouts, /v1/widgets) and the operator dashboard (/dashboard). The server registers it
 * with what the layout service must not import itself, under its error handler.
 */
import { createContextValues } from "@connectrpc/connect";
import type { FastifyPluginAsync } from "fastify";
import { connectErrors } from "../api/connect-errors.ts";
import { connectRoutes } from "../api/connect-routes.ts";
import { authorize, CALLER, type CallerOf } from "./access.ts";
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
    await app.register(async (rpc) => {
      // Every RPC needs at least a reader: a caller without one is refused before its body is read.
      rpc.addHook("onRequest", async (request) => {
        await authorize(request.headers.authorization, options.callerOf(request), "read");
      });
      await rpc.register(
        connectRoutes({
          routes: layoutRpc(options.admin),
          interceptors: [connectErrors((error) => app.log.error({ err: error }, "unhandled error"))],
          contextValues: (request) => createContextValues().set(CALLER, options.callerOf(request)),
        }),
      );
    });
    // Its own scope: the Connect plugin replaces the JSON body parser in its scope.
    await app.register(layoutRoutes(options.admin, options.callerOf));
    await app.register(dashboardRoutes, { prefix: "/dashboard" });
  };
}
