import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryUserStore } from "../../dds/user/memory-store.ts";
import { createRedisUserStore } from "../../dds/user/redis-store.ts";
import { seedUserData } from "../../dds/user/seed.ts";
import type { UserStore } from "../../dds/user/store.ts";
import { startTestRedisCluster } from "../support/redis-cluster.ts";
import { startTestRedis, type TestRedis } from "../support/redis.ts";

let redis: TestRedis;
let cluster: TestRedis;
beforeAll(async () => {
  [redis, cluster] = await Promise.all([startTestRedis(), startTestRedisCluster()]);
}, 30_000);
afterAll(() => Promise.all([redis?.stop(), cluster?.stop()]));

const stores: Array<[string, () => TestRedis | undefined]> = [
  ["memory", () => undefined],
  ["one Redis", () => redis],
  ["Redis Cluster", () => cluster],
];

describe.each(stores)("user store in %s", (_name, backing) => {
  let store: UserStore;
  beforeEach(async () => {
    const shared = backing();
    await shared?.flush();
    store = shared ? createRedisUserStore(shared.client()) : createMemoryUserStore();
  });

  it("seeds each user deterministically: 20 titles in progress (1-99 %) and 12 favorites", async () => {
    const [history] = await store.getHistories(["u1"]);
    const [favorites] = await store.getFavorites(["u1"]);
    expect(history!.map((e) => e.contentId)).toEqual(seedUserData("u1").history.map((e) => e.contentId));
    expect(history).toHaveLength(20);
    expect(history!.every((e) => e.progressPercent >= 1 && e.progressPercent <= 99)).toBe(true);
    expect(favorites).toEqual(seedUserData("u1").favorites);
    expect(favorites).toHaveLength(12);
    expect(seedUserData("u2").favorites).not.toEqual(favorites);
  });

  it("answers a batch of users in the order asked", async () => {
    const histories = await store.getHistories(["u3", "u1"]);
    expect(histories[0]![0]!.contentId).toBe(seedUserData("u3").history[0]!.contentId);
    expect(histories[1]![0]!.contentId).toBe(seedUserData("u1").history[0]!.contentId);
  });

  it("records progress: the title moves to the front; 100 % removes it", async () => {
    const after = await store.recordProgress("u5", "m42", 37, Date.UTC(2027, 0, 1));
    expect(after[0]).toEqual({ contentId: "m42", progressPercent: 37, updatedAtMs: Date.UTC(2027, 0, 1) });
    expect(after).toHaveLength(21);
    const [read] = await store.getHistories(["u5"]);
    expect(read![0]).toEqual(after[0]);
    const done = await store.recordProgress("u5", "m42", 100, Date.UTC(2027, 0, 2));
    expect(done.map((e) => e.contentId)).not.toContain("m42");
    expect(done).toHaveLength(20);
  });

  it("toggles a favorite on and off", async () => {
    expect(await store.toggleFavorite("u6", "m7", Date.UTC(2027, 0, 1))).toBe(true);
    expect((await store.getFavorites(["u6"]))[0]![0]).toBe("m7");
    expect(await store.toggleFavorite("u6", "m7", Date.UTC(2027, 0, 2))).toBe(false);
    expect((await store.getFavorites(["u6"]))[0]).not.toContain("m7");
  });
});

describe.each(stores.slice(1))("redis user store in %s", (_name, backing) => {
  it("keeps writes across store instances (another compositor sees them)", async () => {
    const first = createRedisUserStore(backing()!.client());
    const second = createRedisUserStore(backing()!.client());
    await first.recordProgress("u77", "m12", 55, Date.UTC(2027, 5, 1));
    await first.toggleFavorite("u77", "m99", Date.UTC(2027, 5, 1));
    const [history] = await second.getHistories(["u77"]);
    const [favorites] = await second.getFavorites(["u77"]);
    expect(history![0]).toEqual({ contentId: "m12", progressPercent: 55, updatedAtMs: Date.UTC(2027, 5, 1) });
    expect(favorites![0]).toBe("m99");
  });

  it("seeds a user once even when two instances read it at the same time", async () => {
    await backing()!.flush();
    const a = createRedisUserStore(backing()!.client());
    const b = createRedisUserStore(backing()!.client());
    const [[fromA], [fromB]] = await Promise.all([a.getHistories(["u88"]), b.getHistories(["u88"])]);
    expect(fromA).toHaveLength(20);
    expect(fromB).toHaveLength(20);
    expect(await backing()!.client().zcard("tessera:user:{u88}:history")).toBe(20);
  });
});
