/** Health, readiness (with each DDS's circuit breaker state) and Prometheus metrics. */
import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import { readiness, type ReadinessCheck } from "./readiness.ts";

export function opsRoutes(registry: Registry, checks: readonly ReadinessCheck[]) {
  return async (app: FastifyInstance) => {
    app.get("/healthz", async () => ({ status: "ok" }));
    // Degraded is still 200: the instance serves from what it holds, better than taking it out of rotation.
    app.get("/readyz", async (_request, reply) => {
      const report = readiness(checks);
      if (report.status !== "not-ready") return report;
      const reasons = Object.entries(report.checks)
        .filter(([, result]) => result.status === "failing")
        .map(([name, result]) => `${name}: ${result.reason}`);
      return reply.code(503).send({ code: "not-ready", message: reasons.join("; "), ...report });
    });
    app.get("/metrics", async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  };
}
