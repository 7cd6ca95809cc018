/** Requests and readings shared by the tests of POST /v1/events. */
import { create, toBinary } from "@bufbuild/protobuf";
import type { Tessera } from "../../compositor/server.ts";
import { EventBatchSchema } from "../../protos/gen/tessera/events/v1/events_pb.js";

export const impression = (overrides: Record<string, unknown> = {}) => ({
  type: "impression",
  pageViewId: "pv-1",
  pageId: "home",
  instanceId: "hero-1",
  widgetPosition: 0,
  variantId: "default",
  experimentFlag: "",
  experimentVariation: "",
  recoRequestId: "",
  timestamp: Date.now(),
  ...overrides,
});

export const click = (overrides: Record<string, unknown> = {}) =>
  impression({
    type: "click",
    instanceId: "tray-2",
    widgetPosition: 2,
    contentId: "m12",
    itemPosition: 3,
    recoRequestId: "r-9",
    ...overrides,
  });

export function postEvents(server: Tessera, body: unknown, options: { headers?: Record<string, string>; remoteAddress?: string } = {}) {
  return server.app.inject({
    method: "POST",
    url: "/v1/events",
    headers: { "content-type": "application/json", ...options.headers },
    payload: typeof body === "string" ? body : JSON.stringify(body),
    remoteAddress: options.remoteAddress,
  });
}

/** A batch as protobuf bytes (tessera.events.v1.EventBatch) of events in their JSON form. */
export function protobufBatch(events: readonly Record<string, unknown>[]): Buffer {
  const batch = create(EventBatchSchema, {
    events: events.map((event) => ({ ...event, timestamp: BigInt(event.timestamp as number) }) as never),
  });
  return Buffer.from(toBinary(EventBatchSchema, batch));
}

export function postProtobuf(server: Tessera, body: Buffer) {
  return server.app.inject({ method: "POST", url: "/v1/events", headers: { "content-type": "application/x-protobuf" }, payload: body });
}

/** The value of a series in the server's /metrics, 0 when absent. */
export async function metric(server: Tessera, series: string): Promise<number> {
  const text = (await server.app.inject({ url: "/metrics" })).body;
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Polls `check` until it holds, failing after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
