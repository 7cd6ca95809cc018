/**
 * What the placement spans say of the widget cache, with the compositor in process (the test binders'
 * generous deadlines, so a loaded machine does not turn misses into timeouts): tracing started as
 * main.ts starts it, exporting to a receiver that decodes the real exporter's protobuf.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import { wrapDdsClient } from "../../dds/client.ts";
import type { Tessera } from "../../compositor/server.ts";
import { startTracing, type Tracing } from "../../compositor/telemetry/tracing.ts";
import { SpanKind, StatusCode } from "../../protos/gen/tessera/otlp/v1/trace_export_pb.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.ts";
import { devToken, startTessera, testDds } from "../support/tessera.ts";

let receiver: OtlpReceiver;
let tracing: Tracing | undefined;
let tessera: Tessera;
/** DDS that fail while listed here. */
const failing = new Set<string>();

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // The SDK's exporter and batch processor read process.env, as in production.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  process.env.OTEL_BSP_SCHEDULE_DELAY = "50";
  tracing = await startTracing();
  const dds = wrapDdsClient(testDds(), async (name, _method, call) => {
    if (failing.has(name)) throw new Error(`${name} is down`);
    return call();
  });
  tessera = await startTessera({ dds });
});

afterAll(async () => {
  vi.useRealTimers();
  await tessera?.app.close();
  await tracing?.shutdown();
  await receiver?.close();
});

/** A signed-in page request in a trace of its own; the spans of that trace once its request span arrived. */
async function tracedPage(): Promise<ReceivedSpan[]> {
  const traceId = randomBytes(16).toString("hex");
  const response = await tessera.app.inject({
    method: "GET",
    url: "/v1/pages/home?platform=web&clientVersion=5.0.0",
    headers: {
      authorization: `Bearer ${await devToken({ userId: "u42", persona: "p3" })}`,
      traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`,
    },
  });
  expect(response.statusCode).toBe(200);
  const ofTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
  await vi.waitFor(() => expect(ofTrace().some((span) => span.kind === SpanKind.SERVER)).toBe(true), { timeout: 30_000, interval: 50 });
  return ofTrace();
}

const placements = (spans: readonly ReceivedSpan[]) => spans.filter((span) => span.name === "tessera.placement");
const byInstance = (spans: readonly ReceivedSpan[]): Record<string, ReceivedSpan["attributes"]> =>
  Object.fromEntries(placements(spans).map((span) => [span.attributes["tessera.widget.instance"], span.attributes]));
const ddsCalls = (spans: readonly ReceivedSpan[]) => spans.filter((span) => span.kind === SpanKind.CLIENT).length;

describe("placement spans and the widget cache", () => {
  let cold: ReceivedSpan[];
  let warm: ReceivedSpan[];

  beforeAll(async () => {
    cold = await tracedPage();
    warm = await tracedPage();
  }, 90_000);

  it("a cold page: every shared widget a miss, a user's widget never cached, with its items", () => {
    const widgets = byInstance(cold);
    expect(Object.keys(widgets)).toHaveLength(14);
    expect(widgets["top-picks"]).toMatchObject({ "tessera.widget.type": "top-picks", "tessera.cache.outcome": "miss" });
    expect(widgets["genre-drama"]).toMatchObject({ "tessera.widget.type": "genre-tray", "tessera.cache.outcome": "miss" });
    expect(widgets["continue-watching"]).toMatchObject({ "tessera.cache.outcome": "none" });
    for (const attributes of Object.values(widgets)) expect(attributes["tessera.widget.items"]).toBeGreaterThan(0);
    expect(ddsCalls(cold)).toBe(6);
  });

  it("the same page again: the shared widgets hits, fewer DDS calls", () => {
    const widgets = byInstance(warm);
    expect(widgets["top-picks"]).toMatchObject({ "tessera.cache.outcome": "hit", "tessera.widget.items": 20 });
    expect(widgets["genre-drama"]).toMatchObject({ "tessera.cache.outcome": "hit" });
    expect(widgets["continue-watching"]).toMatchObject({ "tessera.cache.outcome": "none" });
    expect(placements(warm).filter((span) => span.attributes["tessera.cache.outcome"] === "miss")).toEqual([]);
    expect(ddsCalls(warm)).toBe(3);
  });

  it("past the TTL with DDS down: shared widgets stale, a user's widget left out with its reason, the failed calls marked", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    vi.setSystemTime(Date.now() + 301_000); // past the default TTL (300 s), well within the max stale (3600 s)
    failing.add("reco").add("user");
    const spans = await tracedPage();
    failing.clear();
    const widgets = byInstance(spans);
    expect(widgets["top-picks"]).toMatchObject({ "tessera.cache.outcome": "stale", "tessera.widget.degraded": true });
    expect(widgets["continue-watching"]).toMatchObject({ "tessera.cache.outcome": "none", "tessera.widget.omitted_reason": "error" });
    // A DDS failure leaves the whole page's data partial: every shared widget is served stale, none kept.
    expect(widgets["genre-drama"]).toMatchObject({ "tessera.cache.outcome": "stale" });
    const reco = spans.filter((span) => span.kind === SpanKind.CLIENT && span.attributes["tessera.dds.name"] === "reco");
    expect(reco.length).toBeGreaterThan(0);
    expect(reco.every((span) => span.status === StatusCode.ERROR)).toBe(true);
  });
});
