/**
 * The OpenTelemetry SDK, imported only when tracing is on (tracing.ts): spans batched and exported
 * as OTLP over HTTP (protobuf), W3C trace context, the async context of Node. The exporter, the batch
 * processor and the sampler read their own `OTEL_*` variables (endpoint, headers, timeouts, batch
 * sizes, OTEL_TRACES_SAMPLER and its argument); OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name
 * the service, "tessera" by default.
 */
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { Tracing } from "./tracing.ts";

export function registerSdk(): Tracing {
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: "tessera" }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { shutdown: () => provider.shutdown() };
}
