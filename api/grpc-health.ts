/**
 * gRPC's health service (grpc.health.v1.Health), for gRPC load balancers and Kubernetes gRPC probes:
 * the server as a whole ("") and each service it serves, SERVING or NOT_SERVING as `serving()` says.
 * Watch sends the status, then each change of it (looked at every `watchEveryMs`), until the client
 * leaves or `closing` aborts: a stopping server says NOT_SERVING and ends its watches, so that they
 * do not hold its drain.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { setTimeout as sleep } from "node:timers/promises";
import { Health, HealthCheckResponse_ServingStatus as Status, HealthCheckResponseSchema } from "../protos/gen/grpc/health/v1/health_pb.js";

export interface GrpcHealthOptions {
  /** Full names of the services served, e.g. "tessera.page.v1.PageService". */
  services: readonly string[];
  serving(): boolean;
  /** Aborted when the server starts to stop. */
  closing: AbortSignal;
  watchEveryMs?: number;
}

export function grpcHealth(options: GrpcHealthOptions) {
  const { services, closing, watchEveryMs = 1_000 } = options;
  const known = (service: string) => service === "" || services.includes(service);
  const current = () => (!closing.aborted && options.serving() ? Status.SERVING : Status.NOT_SERVING);

  return (router: ConnectRouter) => {
    router.service(Health, {
      check({ service }) {
        if (!known(service))
          throw new ConnectError(`no service named ${JSON.stringify(service.slice(0, 200))} is served here`, Code.NotFound);
        return { status: current() };
      },

      async *watch({ service }, context) {
        const stop = AbortSignal.any([context.signal, closing]);
        let sent: Status | undefined;
        for (;;) {
          const status = known(service) ? current() : Status.SERVICE_UNKNOWN;
          if (status !== sent) yield create(HealthCheckResponseSchema, { status: (sent = status) });
          if (stop.aborted) return;
          await sleep(watchEveryMs, undefined, { signal: stop }).catch(() => {});
        }
      },
    });
  };
}
