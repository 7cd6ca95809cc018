/** Health, readiness and Prometheus metrics. */
import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";

export function opsRoutes(registry: Registry, isReady: () => boolean) {
  return async (app: FastifyInstance) => {
    app.get("/healthz", async () => ({ status: "ok" }));
    app.get("/readyz", async (_request, reply) =>
      isReady() ? { status: "ready" } : reply.code(503).send({ code: "not-ready", message: "starting up" }),
    );
    app.get("/metrics", async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  };
}
