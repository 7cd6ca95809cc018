/**
 * Accepted events land in the Redis stream `tessera:events`, one entry per event with the event's
 * fields and the verified token's user, on one Redis and on a Redis Cluster.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import type { RedisClient } from "../../redis/client.ts";
import { redisShapes } from "../support/redis-shapes.ts";
import type { TestRedis } from "../support/redis.ts";
import { devToken, startTessera } from "../support/tessera.ts";
import { click, eventually, impression, metric, postEvents, postProtobuf, protobufBatch } from "./events-support.ts";

const STREAM = "tessera:events";

/** The stream's entries as field → value records, oldest first. */
async function entries(redis: RedisClient): Promise<Record<string, string>[]> {
  const raw = await redis.xrange(STREAM, "-", "+");
  return raw.map(([, fields]) => Object.fromEntries(fields.flatMap((_, i) => (i % 2 === 0 ? [[fields[i], fields[i + 1]]] : []))));
}

describe.each(redisShapes)("events in the Redis stream on %s", (_shape, start) => {
  let redis: TestRedis;
  let reader: RedisClient;
  let server: Tessera;
  beforeAll(async () => {
    redis = await start();
    reader = await redis.connected();
    server = await startTessera({ redis: await redis.connected() });
  }, 30_000);
  afterAll(async () => {
    await server?.app.close();
    await redis?.stop();
  });
  beforeEach(async () => {
    await reader.del(STREAM);
  });

  it("appends one entry per event with its fields: the item's only for an item's event, no user when anonymous", async () => {
    const widget = impression({ pageViewId: "pv-7", experimentFlag: "hero-test", experimentVariation: "b" });
    const item = click({ pageViewId: "pv-7" });
    const response = await postEvents(server, { events: [widget, item] });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 2 });
    await eventually("2 entries", async () => (await entries(reader)).length === 2);
    const [first, second] = await entries(reader);
    expect(first).toEqual({
      type: "impression",
      pageViewId: "pv-7",
      pageId: "home",
      instanceId: "hero-1",
      widgetPosition: "0",
      variantId: "default",
      experimentFlag: "hero-test",
      experimentVariation: "b",
      recoRequestId: "",
      timestamp: String(widget.timestamp),
      receivedAt: expect.stringMatching(/^\d{13}$/),
    });
    expect(second).toMatchObject({
      type: "click",
      instanceId: "tray-2",
      widgetPosition: "2",
      contentId: "m12",
      itemPosition: "3",
      recoRequestId: "r-9",
    });
    expect(second).not.toHaveProperty("userId");
  });

  it("records a protobuf batch as its JSON form", async () => {
    const events = [impression({ pageViewId: "pv-json" }), click({ pageViewId: "pv-json" })];
    expect((await postEvents(server, { events })).statusCode).toBe(202);
    expect((await postProtobuf(server, protobufBatch(events.map((event) => ({ ...event, pageViewId: "pv-proto" }))))).statusCode).toBe(202);
    await eventually("4 entries", async () => (await entries(reader)).length === 4);
    const written = await entries(reader);
    const withoutTimes = ({ receivedAt: _, pageViewId: __, ...fields }: Record<string, string>) => fields;
    const byView = (view: string) => written.filter((entry) => entry.pageViewId === view).map(withoutTimes);
    expect(byView("pv-proto")).toEqual(byView("pv-json"));
    expect(byView("pv-proto")).toHaveLength(2);
    expect(byView("pv-proto")[0]).not.toHaveProperty("contentId");
  });

  it("records the verified token's user, not one the body names", async () => {
    const authorization = `Bearer ${await devToken({ userId: "u42" })}`;
    const response = await postEvents(server, { events: [click({ userId: "mallory" })] }, { headers: { authorization } });
    expect(response.statusCode).toBe(202);
    await eventually("1 entry", async () => (await entries(reader)).length === 1);
    const [entry] = await entries(reader);
    expect(entry!.userId).toBe("u42");
  });

  it("drops nothing while Redis answers", async () => {
    const dropped = async () =>
      (await metric(server, 'tessera_events_dropped_total{reason="sink-error"}')) +
      (await metric(server, 'tessera_events_dropped_total{reason="sink-full"}')) +
      (await metric(server, 'tessera_events_dropped_total{reason="no-sink"}'));
    const before = await dropped();
    const batches = Array.from({ length: 10 }, (_, b) => ({
      events: Array.from({ length: 20 }, (_, i) => impression({ pageViewId: `pv-${b}-${i}` })),
    }));
    const statuses = await Promise.all(batches.map((batch) => postEvents(server, batch).then((r) => r.statusCode)));
    expect(statuses.every((status) => status === 202)).toBe(true);
    await eventually("200 entries", async () => (await reader.xlen(STREAM)) === 200);
    expect(await dropped()).toBe(before);
  });
});
