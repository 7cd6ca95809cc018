/**
 * A content change and the widget cache's Redis tier, shared by two instances: entries that show
 * the changed title are refused by an instance that knows the change, every other entry is still
 * served from Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessDdsClient } from "../../dds/client.ts";
import { loadCatalog } from "../../dds/catalog/films.ts";
import type { ContentChanges } from "../../dds/content/changes.ts";
import { followedOverlay } from "../../dds/content/open-changes.ts";
import { createRedisContentChanges } from "../../dds/content/redis-changes.ts";
import { createDdsServices } from "../../dds/services.ts";
import type { Tessera } from "../../compositor/server.ts";
import { decodePage, itemsOf } from "../support/page.ts";
import { redisShapes } from "../support/redis-shapes.ts";
import type { TestRedis } from "../support/redis.ts";
import { defaultParts, devToken, startTessera, TEST_IMAGE_BASE } from "../support/tessera.ts";

const HOME = "/v1/pages/home?platform=web&clientVersion=5.0.0";

describe.each(redisShapes)("a content change and the Redis widget tier on %s", (_shape, start) => {
  let redis: TestRedis;
  const instances: Array<{ tessera: Tessera; changes: ContentChanges; lookups: Array<{ type: string; hit: boolean }> }> = [];
  beforeAll(async () => {
    redis = await start();
    await redis.flush();
    for (let i = 0; i < 2; i++) {
      const client = await redis.connected();
      const changes = createRedisContentChanges(client, loadCatalog());
      const overlay = await followedOverlay(changes);
      const lookups: Array<{ type: string; hit: boolean }> = [];
      const tessera = await startTessera({
        dds: inProcessDdsClient(createDdsServices({ imageBaseUrl: TEST_IMAGE_BASE, overlay })),
        redis: client,
        contentChanges: changes,
        config: { ...defaultParts().config, cacheRedisTimeoutMs: 2_000 },
        hooks: [{ cacheLookup: ({ layer, type, hit }) => void (layer === "widget" && lookups.push({ type, hit })) }],
      });
      instances.push({ tessera, changes, lookups });
    }
  }, 60_000);
  afterAll(async () => {
    for (const { tessera, changes } of instances) {
      await tessera.app.close();
      await changes.close();
    }
    await redis?.stop();
  });

  async function home(tessera: Tessera) {
    const headers = { authorization: `Bearer ${await devToken({ userId: "u1", persona: "p1" })}` };
    const response = await tessera.app.inject({ method: "GET", url: HOME, headers });
    expect(response.statusCode).toBe(200);
    return decodePage(response.rawPayload);
  }

  it("refuses exactly the Redis entries that show the changed title", async () => {
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const page = await home(a.tessera);
    await home(a.tessera); // the plan is known now: every shared widget is in Redis
    const western = itemsOf(page.widgets.find((w) => w.instanceId === "genre-western")!).map((item) => item.contentId);
    const elsewhere = new Set(
      page.widgets
        .filter((w) => w.instanceId !== "genre-western")
        .flatMap(itemsOf)
        .map((item) => item.contentId),
    );
    const contentId = western.find((id) => !elsewhere.has(id))!;

    const { seq } = await a.changes.publish({ kind: "set-title", contentId, title: "Retitled In Redis" });
    // b has composed nothing: all it has is Redis, and the update from the stream.
    const seen = new Promise<void>((resolve) => void b.changes.follow((update) => update.seq >= seq && resolve()));
    await seen;
    b.lookups.length = 0;
    const fromB = await home(b.tessera);
    expect(itemsOf(fromB.widgets.find((w) => w.instanceId === "genre-western")!).find((item) => item.contentId === contentId)!.title).toBe(
      "Retitled In Redis",
    );
    expect(b.lookups.filter((lookup) => !lookup.hit).map((lookup) => lookup.type)).toEqual(["genre-tray"]);
    expect(b.lookups.filter((lookup) => lookup.hit).length).toBeGreaterThan(3);
  }, 30_000);
});
