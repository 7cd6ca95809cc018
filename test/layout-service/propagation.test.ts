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
import { redisShapes } from "../support/redis-shapes.ts";
import type { TestRedis } from "../support/redis.ts";

describe.each(redisShapes)("layout propagation between two compositor processes sharing %s", (shape, start) => {
  let redis: TestRedis;
  let pair: CompositorPair;
  let store: LayoutStore;
  beforeAll(async () => {
    redis = await start();
    await redis.flush();
    pair = await startCompositorPair(redis.env);
    store = await createRedisStore(redis.client());
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await pair?.stop();
    await redis?.stop();
  });

  it("serves on one instance every version published through the other", async () => {
    const samples = await measurePropagation(pair.a, [pair.b], 20);
    expect(samples.map((s) => s.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await servedVersion(pair.a.url)).toBe("20");
    const served = samples.map((s) => s.servedMs);
    console.log(
      `propagation a → b on ${shape} over ${samples.length} publishes: median ${median(served).toFixed(1)} ms, max ${Math.max(...served).toFixed(1)} ms ` +
        `(publish RPC median ${median(samples.map((s) => s.publishMs)).toFixed(1)} ms)`,
    );
  }, 60_000);

  it("catches up with a publish made while its connection to the publish feed was down", async () => {
    const before = Number(await servedVersion(pair.b.url));
    // Drop both instances' feed connections, and publish while they reconnect.
    let dropped = 0;
    for (const master of await redis.masters()) {
      const clients = ((await master.client("LIST")) as string).split("\n").filter((line) => line.includes(" name=tessera:layout-feed "));
      for (const line of clients) dropped += Number(await master.client("KILL", "ID", /\bid=(\d+)/.exec(line)![1]!));
    }
    expect(dropped).toBeGreaterThanOrEqual(2);
    const published = await store.publish({
      pageId: "probe",
      layout: pageLayoutSchema.parse(probeLayout(99)),
      baseVersion: before,
      author: "test",
      publishedAt: new Date().toISOString(),
      message: "while they were away",
    });
    await whenServed(pair.b.url, published.version);
    await whenServed(pair.a.url, published.version);
  }, 30_000);
});
