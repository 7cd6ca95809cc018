import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublishedLayouts } from "../../compositor/layouts/published-layouts.ts";
import { createRedisStore } from "../../layout-service/redis-store.ts";
import type { LayoutStore } from "../../layout-service/store.ts";
import { startTestRedis, type TestRedis } from "../support/redis.ts";
import { layoutOf } from "./store-contract.ts";

const at = "2026-12-01T10:00:00.000Z";
const publish = (store: LayoutStore, baseVersion: number, ids: string[]) =>
  store.publish({ pageId: "p", layout: layoutOf("p", ids), baseVersion, author: "a", publishedAt: at, message: "" });
const firstInstance = async (layouts: {
  getPublished(id: string): Promise<{ layout: { variants: Array<{ placements: Array<{ instanceId: string }> }> } } | undefined>;
}) => (await layouts.getPublished("p"))?.layout.variants[0]!.placements[0]!.instanceId;

describe("Redis layout store after Redis lost its data (real redis-server)", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  }, 30_000);
  afterAll(() => redis?.stop());

  it("writes back the layouts a compositor holds, at their versions, and versions go on from there", async () => {
    const prefix = `test:{layouts-${randomUUID()}}`;
    const store = await createRedisStore(redis.client(), { prefix });
    await publish(store, 0, ["a"]);
    await publish(store, 1, ["b"]);
    const layouts = await createPublishedLayouts(store);
    try {
      await redis.flush();
      expect(await store.pageIds()).toEqual(["p"]);
      expect((await store.current("p"))?.version).toBe(2);
      expect(await firstInstance({ getPublished: async () => store.current("p") })).toBe("b");
      await publish(store, 2, ["c"]);
      await expect.poll(() => firstInstance(layouts)).toBe("c");
      expect(layouts.versions()).toEqual(new Map([["p", 3]]));
    } finally {
      layouts.close();
      await store.close();
    }
  });

  it("restores before a write that comes first, refusing it when it was based on what was lost", async () => {
    const prefix = `test:{layouts-${randomUUID()}}`;
    const store = await createRedisStore(redis.client(), { prefix });
    await publish(store, 0, ["a"]);
    const layouts = await createPublishedLayouts(store);
    try {
      await redis.flush();
      // An operator who saw the empty store publishes as version 1: refused, not silently lost.
      await expect(publish(store, 0, ["x"])).rejects.toThrow(/published at version 1, not 0/);
      expect((await publish(store, 1, ["y"])).version).toBe(2);
      await expect.poll(() => firstInstance(layouts)).toBe("y");
    } finally {
      layouts.close();
      await store.close();
    }
  });

  it("makes a compositor holding a higher version take the layout of a new lineage", async () => {
    const prefix = `test:{layouts-${randomUUID()}}`;
    const store = await createRedisStore(redis.client(), { prefix });
    await publish(store, 0, ["a"]);
    await publish(store, 1, ["b"]);
    // This one does not restore (as when another instance restored first, holding older versions).
    const layouts = await createPublishedLayouts({ ...store, restoreFrom: undefined });
    // Another instance starting after the loss, holding nothing, starts the history over.
    const starting = await createRedisStore(redis.client(), { prefix });
    try {
      await redis.flush();
      expect((await publish(starting, 0, ["fresh"])).version).toBe(1);
      await expect.poll(() => firstInstance(layouts)).toBe("fresh");
      expect(layouts.versions()).toEqual(new Map([["p", 1]]));
    } finally {
      layouts.close();
      await Promise.all([store.close(), starting.close()]);
    }
  });
});
