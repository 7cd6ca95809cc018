/**
 * Tracing as it runs: `node compositor/main.ts` with OTEL_EXPORTER_OTLP_ENDPOINT set and a remote DDS
 * (DDS_URL), exporting to a receiver that decodes the real exporter's protobuf. Binders keep their
 * shipped deadlines here, so on a loaded machine a widget may time out: these tests assert what holds
 * either way (what the widget cache shows is placement-spans.test.ts's, in process).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient } from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { createConnectTransport } from "@connectrpc/connect-node";
import fastify, { type FastifyInstance } from "fastify";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNode, type Running } from "../../bench/processes.ts";
import { ddsRoutes } from "../../dds/routes.ts";
import { createDdsServices } from "../../dds/services.ts";
import { SpanKind } from "../../protos/gen/tessera/otlp/v1/trace_export_pb.js";
import { PageService } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.ts";
import { decodePage } from "../support/page.ts";
import { devToken, TEST_IMAGE_BASE } from "../support/tessera.ts";

let receiver: OtlpReceiver;
let dds: FastifyInstance;
let compositor: Running;
let logs = "";
/** The `traceparent` of every call the DDS received. */
const ddsTraceparents: string[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  dds = fastify();
  dds.addHook("onRequest", async (request) => {
    ddsTraceparents.push(String(request.headers.traceparent ?? ""));
  });
  await dds.register(fastifyConnectPlugin, { routes: ddsRoutes(createDdsServices({ imageBaseUrl: TEST_IMAGE_BASE })) });
  const ddsUrl = await dds.listen({ host: "127.0.0.1", port: 0 });
  compositor = await startNode(
    "compositor/main.ts",
    {
      DDS_URL: ddsUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: "tessera-under-test",
      OTEL_BSP_SCHEDULE_DELAY: "50",
      GRPC_PORT: "0",
      LOG_LEVEL: "info",
      // No DDS deadline or load shedding in the way of a loaded machine.
      DDS_TIMEOUT_MS: "10000",
      ADMISSION: "off",
      LAYOUT_DATA_DIR: mkdtempSync(join(tmpdir(), "tessera-tracing-")),
    },
    [],
    { onStdout: (text) => (logs += text) },
  );
}, 90_000);

afterAll(async () => {
  await compositor?.stop();
  await dds?.close();
  await receiver?.close();
});

const token = () => devToken({ userId: "u42", persona: "p3" });
const newTraceparent = () => ({ traceId: randomBytes(16).toString("hex"), clientSpanId: randomBytes(8).toString("hex") });
const named = (spans: readonly ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);
const ddsSpans = (spans: readonly ReceivedSpan[]) => spans.filter((span) => span.kind === SpanKind.CLIENT);
const serverSpan = (spans: readonly ReceivedSpan[]) => spans.find((span) => span.kind === SpanKind.SERVER);

/**
 * The spans of a trace, once its request span and the span of every DDS call the DDS saw in it
 * arrived (a call that outlives the binder's deadline ends after the request).
 */
async function spansOf(traceId: string): Promise<ReceivedSpan[]> {
  const ofTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
  await vi.waitFor(
    () => {
      const spanIds = new Set(ofTrace().map((span) => span.spanId));
      const calledFrom = ddsTraceparents.filter((header) => header.includes(traceId)).map((header) => header.split("-")[2]!);
      expect(serverSpan(ofTrace())).toBeDefined();
      expect(calledFrom.filter((spanId) => !spanIds.has(spanId))).toEqual([]);
    },
    { timeout: 30_000, interval: 50 },
  );
  return ofTrace();
}

describe("tracing with OTEL_EXPORTER_OTLP_ENDPOINT set", () => {
  const trace = newTraceparent();
  let spans: ReceivedSpan[];
  let widgets: number;
  let omitted: number;

  beforeAll(async () => {
    const response = await fetch(`${compositor.url}/v1/pages/home?platform=web&clientVersion=5.0.0`, {
      headers: { authorization: `Bearer ${await token()}`, traceparent: `00-${trace.traceId}-${trace.clientSpanId}-01` },
    });
    expect(response.status).toBe(200);
    const page = decodePage(new Uint8Array(await response.arrayBuffer()));
    widgets = page.widgets.length;
    omitted = page.errors.length;
    spans = await spansOf(trace.traceId);
  }, 90_000);

  it("continues the client's trace: the request span is the client span's child, composition and layout resolution under it", () => {
    const request = serverSpan(spans)!;
    expect(request).toMatchObject({ parentSpanId: trace.clientSpanId, name: "GET /v1/pages/:pageId" });
    expect(request.attributes).toMatchObject({ "http.route": "/v1/pages/:pageId", "http.response.status_code": 200 });
    expect(request.resource["service.name"]).toBe("tessera-under-test");
    const [compose] = named(spans, "tessera.compose");
    expect(compose).toMatchObject({ parentSpanId: request.spanId, attributes: expect.objectContaining({ "tessera.page.id": "home" }) });
    const [resolve] = named(spans, "tessera.layout.resolve");
    expect(resolve).toMatchObject({ parentSpanId: compose!.spanId, attributes: expect.objectContaining({ "tessera.page.id": "home" }) });
    expect(resolve!.attributes["tessera.layout.variant"]).toEqual(expect.any(String));
  });

  it("has one span per widget, with its type, instance and cache outcome (none cached yet)", () => {
    const placements = named(spans, "tessera.placement");
    expect(placements).toHaveLength(widgets + omitted);
    expect(placements.length).toBeGreaterThan(0);
    const compose = named(spans, "tessera.compose")[0]!;
    for (const placement of placements) {
      expect(placement.parentSpanId).toBe(compose.spanId);
      expect(placement.attributes).toMatchObject({
        "tessera.widget.type": expect.any(String),
        "tessera.widget.instance": expect.any(String),
        "tessera.cache.outcome": expect.stringMatching(/^(miss|none)$/),
      });
    }
    const left = placements.filter((span) => span.attributes["tessera.widget.omitted_reason"] !== undefined);
    expect(left).toHaveLength(omitted);
  });

  it("has a client span per DDS batch call, with its method and batch size; the DDS got that span as the call's parent", () => {
    const calls = ddsSpans(spans);
    expect(calls.length).toBeGreaterThan(0);
    const compose = named(spans, "tessera.compose")[0]!;
    for (const call of calls) {
      expect(call.parentSpanId).toBe(compose.spanId);
      expect(call.name).toBe(`${call.attributes["rpc.service"]}/${call.attributes["rpc.method"]}`);
      expect(call.attributes["tessera.dds.batch_size"]).toBeGreaterThan(0);
    }
    const received = ddsTraceparents.filter((header) => header.includes(trace.traceId));
    expect(received.map((header) => header.split("-")[2]).sort()).toEqual(calls.map((call) => call.spanId).sort());
  });

  it("writes the trace id into the request's log lines", async () => {
    await vi.waitFor(
      () => {
        const lines = logs
          .split("\n")
          .filter((line) => line.includes(trace.traceId))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(lines).toContainEqual(expect.objectContaining({ msg: "request completed", trace_id: trace.traceId }));
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});

describe("tracing a Connect request", () => {
  it("continues the client's trace the same way: request span, composition, a span per widget", async () => {
    const trace = newTraceparent();
    const bearer = await token();
    const transport = createConnectTransport({
      baseUrl: compositor.url,
      httpVersion: "1.1",
      interceptors: [
        (next) => (request) => {
          request.header.set("authorization", `Bearer ${bearer}`);
          request.header.set("traceparent", `00-${trace.traceId}-${trace.clientSpanId}-01`);
          return next(request);
        },
      ],
    });
    const { page } = await createClient(PageService, transport).getPage({ pageId: "home", platform: "web", clientVersion: "5.0.0" });
    const spans = await spansOf(trace.traceId);
    const request = serverSpan(spans)!;
    expect(request).toMatchObject({ parentSpanId: trace.clientSpanId, name: "POST /tessera.page.v1.PageService/GetPage" });
    expect(request.attributes["http.response.status_code"]).toBe(200);
    const compose = named(spans, "tessera.compose")[0]!;
    expect(compose.parentSpanId).toBe(request.spanId);
    expect(named(spans, "tessera.placement")).toHaveLength(page!.widgets.length + page!.errors.length);
  });
});

describe("the receiver", () => {
  it("got only protobuf exports at /v1/traces", () => {
    expect(receiver.spans.length).toBeGreaterThan(0);
    expect(receiver.refused).toEqual([]);
  });
});
