/**
 * An OTLP/HTTP trace receiver for tests: answers POST /v1/traces like a collector and decodes each
 * export's protobuf body (ExportTraceServiceRequest), keeping its spans.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createServer, type Server } from "node:http";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  StatusCode,
  type AnyValue,
  type KeyValue,
  type Span,
} from "../../protos/gen/tessera/otlp/v1/trace_export_pb.js";

const BODY_MAX_BYTES = 8 * 1024 * 1024;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  name: string;
  kind: Span["kind"];
  status: StatusCode;
  attributes: Record<string, string | number | boolean>;
  /** The attributes of the resource that sent it (service.name…). */
  resource: Record<string, string | number | boolean>;
}

export interface OtlpReceiver {
  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  /** Bodies that were not a trace export, or not protobuf. */
  refused: string[];
  close(): Promise<void>;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function scalar(value: AnyValue | undefined): string | number | boolean {
  const inner = value?.value;
  if (inner?.case === "intValue") return Number(inner.value);
  if (inner?.case === "stringValue" || inner?.case === "boolValue" || inner?.case === "doubleValue") return inner.value;
  return JSON.stringify(inner?.value ?? null);
}

const attributesOf = (pairs: readonly KeyValue[]) => Object.fromEntries(pairs.map((pair) => [pair.key, scalar(pair.value)]));

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const refused: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_MAX_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on("end", () => {
      const type = request.headers["content-type"] ?? "";
      if (request.method !== "POST" || request.url !== "/v1/traces" || type !== "application/x-protobuf") {
        refused.push(`${request.method} ${request.url} ${type}`);
        response.writeHead(400).end();
        return;
      }
      const exported = fromBinary(ExportTraceServiceRequestSchema, Buffer.concat(chunks));
      for (const resourceSpans of exported.resourceSpans) {
        const resource = attributesOf(resourceSpans.resource?.attributes ?? []);
        for (const scope of resourceSpans.scopeSpans)
          for (const span of scope.spans)
            spans.push({
              traceId: hex(span.traceId),
              spanId: hex(span.spanId),
              parentSpanId: hex(span.parentSpanId),
              name: span.name,
              kind: span.kind,
              status: span.status?.code ?? StatusCode.UNSPECIFIED,
              attributes: attributesOf(span.attributes),
              resource,
            });
      }
      response.writeHead(200, { "content-type": "application/x-protobuf" });
      response.end(toBinary(ExportTraceServiceResponseSchema, create(ExportTraceServiceResponseSchema)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
