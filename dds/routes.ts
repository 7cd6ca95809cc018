/** Serves every DDS as a Connect service (Connect, gRPC and gRPC-Web), for remote callers. */
import type { ConnectRouter } from "@connectrpc/connect";
import { DDS_NAMES, DDS_SERVICES, type DdsImpls } from "./services.ts";

export function ddsRoutes(impls: DdsImpls) {
  return (router: ConnectRouter) => {
    for (const name of DDS_NAMES) {
      // Each impl is a plain function per RPC of its service, which is what Connect's ServiceImpl accepts.
      router.service(DDS_SERVICES[name].service, impls[name] as never);
    }
  };
}
