import { describe, expect, it } from "vitest";
import { trace } from "@opentelemetry/api";
import { startTracing, tracer, tracingEnabled, tracingWanted } from "../../compositor/telemetry/tracing.ts";

describe("tracing's switch", () => {
  it("is on with an OTLP endpoint (any, or the traces') or OTEL_TRACES_EXPORTER=otlp", () => {
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" })).toBe(true);
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: "otlp" })).toBe(true);
  });

  it("is off without them, with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none", () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ OTEL_SERVICE_NAME: "tessera" })).toBe(false);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "true" })).toBe(false);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_TRACES_EXPORTER: "none" })).toBe(false);
  });

  it("refuses an exporter or protocol it does not have, rather than tracing nowhere", () => {
    expect(() => tracingWanted({ OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(/OTEL_TRACES_EXPORTER.*zipkin/);
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(() => tracingWanted({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(/http\/protobuf.*grpc/);
    expect(() => tracingWanted({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" })).toThrow(/http\/json/);
    expect(tracingWanted({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toBe(false); // off: nothing to refuse
  });

  it("off, registers no SDK: spans are the API's no-ops and no span site is enabled", async () => {
    expect(await startTracing({})).toBeUndefined();
    expect(tracingEnabled).toBe(false);
    const span = tracer.startSpan("probe");
    expect(span.isRecording()).toBe(false);
    expect(trace.getTracerProvider().getTracer("probe").startSpan("probe").isRecording()).toBe(false);
    span.end();
  });
});
