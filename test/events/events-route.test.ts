/**
 * POST /v1/events without Redis: what it accepts (202, counted, dropped as no-sink), what it refuses
 * (400 naming the first bad field, 413, 415, 401) and its own rate limit (429 with Retry-After).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";
import { signToken } from "../../compositor/gateway/auth.ts";
import type { Tessera } from "../../compositor/server.ts";
import { defaultParts, devToken, startTessera } from "../support/tessera.ts";
import { click, impression, metric, postEvents, postProtobuf, protobufBatch } from "./events-support.ts";

const HOUR_MS = 60 * 60 * 1000;

describe("POST /v1/events without Redis", () => {
  let server: Tessera;
  beforeAll(async () => {
    server = await startTessera();
  });
  afterAll(() => server.app.close());

  it("accepts a batch of widget and item events: 202 {accepted}, counted by type, dropped as no-sink", async () => {
    const dropped = await metric(server, 'tessera_events_dropped_total{reason="no-sink"}');
    const impressions = await metric(server, 'tessera_events_received_total{type="impression"}');
    const clicks = await metric(server, 'tessera_events_received_total{type="click"}');
    // Optional strings may be absent as well as empty.
    const bare = { type: "impression", pageViewId: "pv-2", pageId: "home", instanceId: "hero-1", widgetPosition: 0, timestamp: Date.now() };
    const response = await postEvents(server, { events: [impression(), click(), bare] });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 3 });
    expect(await metric(server, 'tessera_events_dropped_total{reason="no-sink"}')).toBe(dropped + 3);
    expect(await metric(server, 'tessera_events_received_total{type="impression"}')).toBe(impressions + 2);
    expect(await metric(server, 'tessera_events_received_total{type="click"}')).toBe(clicks + 1);
  });

  it("accepts a signed-in caller's batch and ignores a user id in the body", async () => {
    const authorization = `Bearer ${await devToken({ userId: "u42" })}`;
    const response = await postEvents(server, { events: [click({ userId: "mallory" })] }, { headers: { authorization } });
    expect(response.statusCode).toBe(202);
  });

  it.each([
    ["an empty batch", { events: [] }, "events", "at least one event"],
    ["no events", {}, "events", "array of events"],
    ["a batch that is not an object", [impression()], "body", '{"events": [...]}'],
    ["an event that is not an object", { events: [impression(), "click"] }, "events[1]", "must be an object"],
    [
      "an unknown type",
      { events: [impression(), impression(), impression(), impression({ type: "view" })] },
      "events[3].type",
      '"impression" or "click"',
    ],
    ["no pageViewId", { events: [impression({ pageViewId: undefined })] }, "events[0].pageViewId", "1 to 128 characters"],
    ["an empty pageId", { events: [impression({ pageId: "" })] }, "events[0].pageId", "1 to 128 characters"],
    ["an instanceId of 129 characters", { events: [impression({ instanceId: "i".repeat(129) })] }, "events[0].instanceId", "1 to 128"],
    ["a variantId of 129 characters", { events: [impression({ variantId: "v".repeat(129) })] }, "events[0].variantId", "at most 128"],
    ["a numeric experimentFlag", { events: [impression({ experimentFlag: 7 })] }, "events[0].experimentFlag", "string"],
    ["a negative widgetPosition", { events: [impression({ widgetPosition: -1 })] }, "events[0].widgetPosition", "integer from 0"],
    ["a fractional widgetPosition", { events: [impression({ widgetPosition: 1.5 })] }, "events[0].widgetPosition", "integer"],
    ["a widgetPosition as a string", { events: [impression({ widgetPosition: "0" })] }, "events[0].widgetPosition", "integer"],
    ["a zero itemPosition (they are one-based)", { events: [click({ itemPosition: 0 })] }, "events[0].itemPosition", "integer from 1"],
    ["an empty contentId", { events: [click({ contentId: "" })] }, "events[0].contentId", "1 to 128"],
    ["a timestamp 25 hours old", { events: [impression({ timestamp: Date.now() - 25 * HOUR_MS })] }, "events[0].timestamp", "24 hours"],
    ["a timestamp 25 hours ahead", { events: [impression({ timestamp: Date.now() + 25 * HOUR_MS })] }, "events[0].timestamp", "24 hours"],
    ["a timestamp in seconds as a string", { events: [impression({ timestamp: "1764600000" })] }, "events[0].timestamp", "milliseconds"],
    ["101 events", { events: Array.from({ length: 101 }, () => impression()) }, "events", "at most 100 events"],
  ])("refuses %s: 400 invalid-parameter naming %s", async (_case, body, field, problem) => {
    const invalid = await metric(server, 'tessera_events_rejected_total{reason="invalid"}');
    const response = await postEvents(server, body);
    expect(response.statusCode).toBe(400);
    const answer = response.json();
    expect(answer.code).toBe("invalid-parameter");
    expect(answer.message.startsWith(`${field}: `)).toBe(true);
    expect(answer.message).toContain(problem);
    expect(await metric(server, 'tessera_events_rejected_total{reason="invalid"}')).toBe(invalid + 1);
  });

  it("accepts the same batch as protobuf (tessera.events.v1.EventBatch)", async () => {
    const clicks = await metric(server, 'tessera_events_received_total{type="click"}');
    const response = await postProtobuf(server, protobufBatch([impression(), click()]));
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 2 });
    expect(await metric(server, 'tessera_events_received_total{type="click"}')).toBe(clicks + 1);
  });

  it.each([
    ["an unknown type", protobufBatch([impression(), impression({ type: "view" })]), "events[1].type: "],
    ["no instanceId", protobufBatch([impression({ instanceId: "" })]), "events[0].instanceId: "],
    ["a zero itemPosition", protobufBatch([click({ itemPosition: 0 })]), "events[0].itemPosition: "],
    ["a timestamp in seconds", protobufBatch([impression({ timestamp: 1_764_600_000 })]), "events[0].timestamp: "],
    ["101 events", protobufBatch(Array.from({ length: 101 }, () => impression())), "events: "],
    ["no events", protobufBatch([]), "events: "],
    ["bytes that are not an EventBatch", Buffer.from([0xff, 0xff, 0xff, 0x01]), "body: is not a tessera.events.v1.EventBatch"],
  ])("refuses a protobuf batch with %s: 400 naming it", async (_case, body, message) => {
    const response = await postProtobuf(server, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: "invalid-parameter",
      message: expect.stringMatching(new RegExp(`^${message.replace(/[.[\]]/g, "\\$&")}`)),
    });
  });

  it("refuses a body that is not JSON: 400 naming the body", async () => {
    const response = await postEvents(server, '{"events": [');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: "invalid-parameter", message: "body: is not JSON" });
  });

  it("refuses a body over 64 KiB: 413 body-too-large, counted", async () => {
    const tooLarge = await metric(server, 'tessera_events_rejected_total{reason="too-large"}');
    const response = await postEvents(server, { events: [impression({ padding: "x".repeat(64 * 1024) })] });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ code: "body-too-large", message: "the request body exceeds 65536 bytes" });
    expect(await metric(server, 'tessera_events_rejected_total{reason="too-large"}')).toBe(tooLarge + 1);
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }, 'content type "text/plain"'],
    ["Connect protobuf", { "content-type": "application/proto" }, 'content type "application/proto"'],
    ["form data", { "content-type": "application/x-www-form-urlencoded" }, "is not read here"],
  ])("refuses a %s body: 415 unsupported-media-type", async (_case, headers, problem) => {
    const response = await postEvents(server, { events: [impression()] }, { headers });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ code: "unsupported-media-type", message: expect.stringContaining(problem) });
  });

  it("refuses a compressed body: 415 naming the encoding", async () => {
    const response = await postEvents(server, { events: [impression()] }, { headers: { "content-encoding": "gzip" } });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ code: "unsupported-media-type", message: expect.stringContaining('content encoding "gzip"') });
  });

  it("refuses a request without a body or content type: 415", async () => {
    const response = await server.app.inject({ method: "POST", url: "/v1/events" });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ code: "unsupported-media-type", message: expect.stringContaining("names no content type") });
  });

  it("refuses a token that does not verify: 401, counted as unauthenticated", async () => {
    const before = await metric(server, 'tessera_events_rejected_total{reason="unauthenticated"}');
    const authorization = `Bearer ${await signToken("not-the-secret", { userId: "mallory" })}`;
    const response = await postEvents(server, { events: [impression()] }, { headers: { authorization } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: "unauthenticated" });
    expect(await metric(server, 'tessera_events_rejected_total{reason="unauthenticated"}')).toBe(before + 1);
  });
});

describe("the events route's own rate limit", () => {
  let server: Tessera;
  beforeAll(async () => {
    // The API's budget off: the route keeps its own.
    const config = {
      ...loadConfig({ RATE_LIMIT_MAX: "0", EVENTS_RATE_LIMIT_MAX: "3", EVENTS_RATE_LIMIT_WINDOW_MS: "60000" }),
      logLevel: "silent",
    };
    server = await startTessera({ config: { ...defaultParts().config, ...config } });
  });
  afterAll(() => server.app.close());

  it("answers 429 with Retry-After after the route's budget, per caller, counted", async () => {
    const before = await metric(server, 'tessera_events_rejected_total{reason="rate-limited"}');
    const send = (remoteAddress: string) => postEvents(server, { events: [impression()] }, { remoteAddress });
    for (let i = 0; i < 3; i++) expect((await send("192.0.2.1")).statusCode).toBe(202);
    const refused = await send("192.0.2.1");
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.json()).toEqual({ code: "rate-limited", message: expect.stringMatching(/at most 3 per 60 s; retry in/) });
    expect((await send("192.0.2.2")).statusCode).toBe(202);
    expect(await metric(server, 'tessera_events_rejected_total{reason="rate-limited"}')).toBe(before + 1);
  });

  it("limits no other route while the API's budget is off", async () => {
    for (let i = 0; i < 4; i++) await postEvents(server, { events: [impression()] }, { remoteAddress: "192.0.2.3" });
    const page = await server.app.inject({ url: "/v1/pages/home?platform=web", remoteAddress: "192.0.2.3" });
    expect(page.statusCode).toBe(200);
  });
});

describe("the events budget beside the API's", () => {
  let server: Tessera;
  beforeAll(async () => {
    const config = {
      ...loadConfig({ RATE_LIMIT_MAX: "2", EVENTS_RATE_LIMIT_MAX: "5", EVENTS_RATE_LIMIT_WINDOW_MS: "60000" }),
      logLevel: "silent",
    };
    server = await startTessera({ config: { ...defaultParts().config, ...config } });
  });
  afterAll(() => server.app.close());

  it("counts events apart: a caller whose page budget is spent still sends events, and the other way round", async () => {
    const remoteAddress = "198.51.100.9";
    const page = () => server.app.inject({ url: "/v1/pages/home?platform=web", remoteAddress }).then((r) => r.statusCode);
    expect([await page(), await page(), await page()]).toEqual([200, 200, 429]);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await postEvents(server, { events: [impression()] }, { remoteAddress })).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});
