/** Serves every DDS as a Connect service (Connect, gRPC and gRPC-Web), for remote callers. */
import type { ConnectRouter } from "@connectrpc/connect";
import { DDS_SERVICES, type DdsImpls, type DdsName } from "./client.ts";

export function ddsRoutes(impls: DdsImpls) {
  return (router: ConnectRouter) => {
    for (const name of Object.keys(DDS_SERVICES) as DdsName[]) {
      // Each impl is a plain function per RPC of its service, which is what Connect's ServiceImpl accepts.
      router.service(DDS_SERVICES[name], impls[name] as never);
    }
  };
}
