/**
 * Admission control put around what the server serves, outside the composition core: the layout
 * API's previews and writes (both transports go through the LayoutAdmin), and a fastify plugin's
 * routes (the user's writes). Pages are admitted by the compositor itself (`admit`), because only
 * it knows when a page comes whole from the page cache and needs no slot; a signed-in caller's page
 * never does (the page cache keeps anonymous pages only), so it can be refused on arrival.
 */
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { LayoutAdmin } from "../../layout-service/layout-admin.ts";
import type { Admission, WorkClass } from "./admission.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A page route: its signed-in requests are refused on arrival when no slot could be had. */
    shedEarly?: boolean;
  }
}

export function admittedLayoutAdmin(admin: LayoutAdmin, admission: Admission | undefined): LayoutAdmin {
  if (!admission) return admin;
  return {
    ...admin,
    saveDraft: (...args) => admission.run("write", () => admin.saveDraft(...args)),
    publish: (...args) => admission.run("write", () => admin.publish(...args)),
    rollback: (...args) => admission.run("write", () => admin.rollback(...args)),
    preview: (...args) => admission.run("preview", () => admin.preview(...args)),
  };
}

/** `plugin`, each of whose requests holds a slot of `workClass` from its arrival (before its body is read) until its response is done. */
export function admittedRoutes(plugin: FastifyPluginAsync, admission: Admission | undefined, workClass: WorkClass): FastifyPluginAsync {
  return async (app) => {
    if (admission) {
      app.addHook("onRequest", async (_request, reply) => {
        const slot = await admission.acquire(workClass);
        reply.raw.once("close", () => slot.release());
      });
    }
    await app.register(plugin);
  };
}

/** `plugin`'s routes, marked as the page routes whose signed-in requests `shedPagesEarly` refuses. */
export function pageRoutesShedEarly(plugin: FastifyPluginAsync): FastifyPluginAsync {
  return async (app) => {
    app.addHook("onRoute", (route) => {
      route.config = { ...route.config, shedEarly: true };
    });
    await app.register(plugin);
  };
}

/**
 * Refuses a signed-in request to a page route on arrival when no composition slot could be had: the
 * first onRequest hook, so that a refusal costs no token verification, no context and no flags.
 */
export function shedPagesEarly(app: FastifyInstance, admission: Admission | undefined): void {
  if (!admission) return;
  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.config.shedEarly && request.headers.authorization !== undefined) admission.shedEarly();
  });
}
