import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageLayoutSchema } from "../../layout-service/model.ts";
import { createRedisStore } from "../../layout-service/redis-store.ts";
import type { LayoutStore } from "../../layout-service/store.ts";
import {
  measurePropagation,
  median,
  probeLayout,
  servedVersion,
  startCompositorPair,
  whenServed,
  type CompositorPair,
} from "../support/compositor-pair.ts";
import { startTestRedis, type TestRedis } from "../support/redis.ts";

const CHANNEL = "tessera:{layouts}:published";

describe("layout propagation between two compositor processes sharing one Redis", () => {
  let redis: TestRedis;
  let pair: CompositorPair;
  let store: LayoutStore;
  beforeAll(async () => {
    redis = await startTestRedis();
    const keys = await redis.client().keys("tessera:{layouts}:*");
    if (keys.length > 0) await redis.client().del(...keys);
    pair = await startCompositorPair(redis.url);
    store = await createRedisStore(redis.url);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await pair?.stop();
    await redis?.stop();
  });

  it("serves on one instance every version published through the other", async () => {
    const samples = await measurePropagation(pair, 20);
    expect(samples.map((s) => s.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await servedVersion(pair.a.url)).toBe("20");
    const served = samples.map((s) => s.servedMs);
    console.log(
      `propagation a → b over ${samples.length} publishes: median ${median(served).toFixed(1)} ms, max ${Math.max(...served).toFixed(1)} ms ` +
        `(publish RPC median ${median(samples.map((s) => s.publishMs)).toFixed(1)} ms)`,
    );
  }, 60_000);

  it("catches up with a publish whose message it missed while disconnected", async () => {
    const admin = redis.client();
    const before = Number(await servedVersion(pair.b.url));
    // Drop every subscriber's connection and publish while none is subscribed: the message is lost.
    let listening = 1;
    for (let attempt = 0; attempt < 20 && listening > 0; attempt++) {
      await admin.call("CLIENT", "KILL", "TYPE", "pubsub");
      listening = Number(((await admin.call("PUBSUB", "NUMSUB", CHANNEL)) as [string, number])[1]);
    }
    expect(listening).toBe(0);
    const published = await store.publish({
      pageId: "probe",
      layout: pageLayoutSchema.parse(probeLayout(99)),
      baseVersion: before,
      author: "test",
      publishedAt: new Date().toISOString(),
      message: "while they were away",
    });
    // On reconnecting, each instance compares versions and loads what it missed.
    await whenServed(pair.b.url, published.version);
    await whenServed(pair.a.url, published.version);
  }, 30_000);
});
