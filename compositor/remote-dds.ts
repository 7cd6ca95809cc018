/** The DDS over Connect (DDS_URL): every call with its deadline and, when tracing is on, the trace context it belongs to. */
import { createConnectTransport } from "@connectrpc/connect-node";
import { remoteDdsClient, type DdsClient } from "../dds/client.ts";
import { propagateTraceContext } from "./telemetry/dds-spans.ts";
import { tracingEnabled } from "./telemetry/tracing.ts";

export function remoteDds(baseUrl: string, timeoutMs: number): DdsClient {
  return remoteDdsClient(
    createConnectTransport({
      baseUrl,
      httpVersion: "1.1",
      defaultTimeoutMs: timeoutMs,
      interceptors: tracingEnabled ? [propagateTraceContext] : [],
    }),
  );
}
