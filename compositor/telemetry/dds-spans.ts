/**
 * The spans of DDS calls, and the trace context they carry to a remote DDS. A span per batch call of
 * a request's loaders (dds-loaders.ts), a child of the composition rather than of the binder whose
 * load completed the wave; over Connect, the call's `traceparent` names that span.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Context } from "@opentelemetry/api";
import type { DescService } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import type { DdsName } from "../../dds/client.ts";
import { DDS_SERVICES } from "../../dds/services.ts";
import { tracer } from "./tracing.ts";

/** Runs one batch call (`call`) of `dds`'s `rpc` with `batchSize` keys in a client span under `parent`. */
export async function traceDdsCall<T>(parent: Context, dds: DdsName, rpc: string, batchSize: number, call: () => Promise<T>): Promise<T> {
  const { typeName: service, methods } = DDS_SERVICES[dds].service as DescService;
  const methodName = methods.find((method) => method.localName === rpc)?.name ?? rpc;
  const span = tracer.startSpan(
    `${service}/${methodName}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "rpc.system": "connect_rpc",
        "rpc.service": service,
        "rpc.method": methodName,
        "tessera.dds.name": dds,
        "tessera.dds.batch_size": batchSize,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), call);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** Writes the active trace context into every outgoing Connect request (W3C `traceparent`, `tracestate`). */
export const propagateTraceContext: Interceptor = (next) => (request) => {
  propagation.inject(context.active(), request.header, { set: (headers, name, value) => headers.set(name, value) });
  return next(request);
};
