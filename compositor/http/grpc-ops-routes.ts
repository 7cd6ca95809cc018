/**
 * What the gRPC listener tells about itself: the health service, SERVING while /readyz would not say
 * not-ready, and server reflection over the services it serves (and these two).
 */
import type { DescService } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { connectRoutes } from "../../api/connect-routes.ts";
import { grpcHealth } from "../../api/grpc-health.ts";
import { grpcReflection } from "../../api/grpc-reflection.ts";
import { Health } from "../../protos/gen/grpc/health/v1/health_pb.js";
import { readiness, type ReadinessCheck } from "./readiness.ts";

export function grpcOpsRoutes(services: readonly DescService[], checks: readonly ReadinessCheck[]) {
  return async (app: FastifyInstance) => {
    const closing = new AbortController();
    app.addHook("preClose", async () => closing.abort());
    const names = [...services, Health].map((service) => service.typeName);
    const serving = () => readiness(checks).status !== "not-ready";
    await app.register(connectRoutes({ routes: grpcHealth({ services: names, serving, closing: closing.signal }) }));
    await app.register(connectRoutes({ routes: grpcReflection([...services, Health]), streamRequests: true }));
  };
}
