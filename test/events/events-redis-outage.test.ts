/**
 * Redis failing never fails or holds a batch of events: a Redis that is down, or one that does not
 * answer within the write deadline, gets 202 all the same and the events it lost are counted; a full
 * buffer drops (and counts) what does not fit; a stopping server writes what is buffered, within its
 * flush deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";
import { redisEventSink } from "../../compositor/events/redis-event-sink.ts";
import type { DropReason } from "../../compositor/events/event-sink.ts";
import type { Tessera } from "../../compositor/server.ts";
import { closeRedis, connectRedis, type RedisClient } from "../../redis/client.ts";
import { startHeldLink, type HeldLink } from "../support/held-link.ts";
import { startTestRedis, unreachableRedis, type TestRedis } from "../support/redis.ts";
import { defaultParts, startTessera } from "../support/tessera.ts";
import { eventually, impression, metric, postEvents } from "./events-support.ts";

const STREAM = "tessera:events";
const batchOf = (count: number, prefix: string) => ({
  events: Array.from({ length: count }, (_, i) => impression({ pageViewId: `${prefix}-${i}` })),
});
/** Without rate limits: their counts in Redis wait for its answer up to the command deadline, the sink's writes are what is tested. */
const configWith = (env: Record<string, string>) => ({
  ...defaultParts().config,
  ...loadConfig({ ...env, RATE_LIMIT_MAX: "0", EVENTS_RATE_LIMIT_MAX: "0" }),
  logLevel: "silent",
});
const droppedBy = (server: Tessera, reason: DropReason) => metric(server, `tessera_events_dropped_total{reason="${reason}"}`);

describe("events while Redis is down", () => {
  it("answers 202 and counts the events dropped as sink-error", async () => {
    const redis = unreachableRedis();
    const server = await startTessera({ redis });
    try {
      const response = await postEvents(server, batchOf(3, "down"));
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ accepted: 3 });
      await eventually("3 events dropped", async () => (await droppedBy(server, "sink-error")) === 3);
    } finally {
      await server.app.close();
      redis.disconnect();
    }
  });
});

describe("events while Redis does not answer", () => {
  let redis: TestRedis;
  let link: HeldLink;
  let reader: RedisClient;
  const throughLink = () => connectRedis({ url: `redis://127.0.0.1:${link.port}` }, { onError: () => {} });
  beforeAll(async () => {
    redis = await startTestRedis();
    reader = await redis.connected();
    const { port } = new URL((redis.settings as { url: string }).url);
    link = await startHeldLink({ host: "127.0.0.1", port: Number(port) });
  });
  afterAll(async () => {
    await link?.close();
    await redis?.stop();
  });

  it("answers 202 at once, drops what misses the write deadline and what the full buffer cannot take, counted", async () => {
    const client = await throughLink();
    const server = await startTessera({ redis: client, config: configWith({ EVENTS_WRITE_TIMEOUT_MS: "200", EVENTS_BUFFER_MAX: "5" }) });
    try {
      link.hold();
      // The first batch is being written (its answer held); the second fills the buffer and overflows it.
      expect((await postEvents(server, batchOf(2, "held"))).statusCode).toBe(202);
      expect((await postEvents(server, batchOf(8, "more"))).statusCode).toBe(202);
      expect(await droppedBy(server, "sink-full")).toBe(3);
      // Both writes miss their deadline: the 2 in flight, then the 5 buffered.
      await eventually("7 events dropped for the deadline", async () => (await droppedBy(server, "sink-error")) === 7);
    } finally {
      link.release();
      await server.app.close();
      await closeRedis(client);
    }
  });

  it("writes what is buffered when the server stops, once Redis answers again", async () => {
    await reader.del(STREAM);
    const client = await throughLink();
    const server = await startTessera({
      redis: client,
      config: configWith({ EVENTS_WRITE_TIMEOUT_MS: "2000", EVENTS_FLUSH_TIMEOUT_MS: "5000" }),
    });
    try {
      link.hold();
      expect((await postEvents(server, batchOf(4, "in-flight"))).statusCode).toBe(202);
      expect((await postEvents(server, batchOf(6, "buffered"))).statusCode).toBe(202);
      setTimeout(() => link.release(), 300);
      await server.app.close();
      const written = (await reader.xrange(STREAM, "-", "+")).map(([, fields]) => fields[fields.indexOf("pageViewId") + 1]);
      expect(written.sort()).toEqual([...batchOf(4, "in-flight").events, ...batchOf(6, "buffered").events].map((e) => e.pageViewId).sort());
    } finally {
      link.release();
      await closeRedis(client);
    }
  });

  it("stops within its flush deadline when Redis still does not answer, counting what it could not write", async () => {
    const client = await throughLink();
    const dropped = new Map<DropReason, number>();
    const sink = redisEventSink({
      redis: client,
      key: STREAM,
      maxLength: 1000,
      bufferMax: 100,
      batchMax: 10,
      writeTimeoutMs: 60_000,
      onDropped: (reason, count) => dropped.set(reason, (dropped.get(reason) ?? 0) + count),
      onError: () => {},
    });
    try {
      link.hold();
      const event = { ...impression({ type: "impression" as const }), userId: "", receivedAt: Date.now() } as Parameters<
        typeof sink.accept
      >[0][number];
      sink.accept(Array.from({ length: 25 }, () => event));
      // 10 in flight, 15 buffered; the flush deadline passes long before the write's.
      await sink.close(200);
      expect(dropped.get("sink-error")).toBe(15);
      sink.accept([event]);
      expect(dropped.get("sink-error")).toBe(16);
    } finally {
      link.release();
      await closeRedis(client);
    }
  });
});
