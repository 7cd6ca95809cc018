/** Health, readiness (with each DDS's circuit breaker state) and Prometheus metrics. */
import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import type { BreakerState } from "../dds-guard/circuit-breaker.ts";

export interface OpsParts {
  registry: Registry;
  isReady: () => boolean;
  /** Each DDS's breaker: an open one does not make the server unready (it serves stale or partial pages). */
  ddsBreakers: () => Record<string, BreakerState>;
}

export function opsRoutes({ registry, isReady, ddsBreakers }: OpsParts) {
  return async (app: FastifyInstance) => {
    app.get("/healthz", async () => ({ status: "ok" }));
    app.get("/readyz", async (_request, reply) =>
      isReady() ? { status: "ready", dds: ddsBreakers() } : reply.code(503).send({ code: "not-ready", message: "starting up" }),
    );
    app.get("/metrics", async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  };
}
