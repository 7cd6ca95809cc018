/**
 * The content-change stream on Redis, on one Redis and on a Redis Cluster: followers get every
 * entity's state and then every update in order, again after their connection drops, and a
 * follower further behind than the trimmed stream still ends with every entity's state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../dds/catalog/films.ts";
import type { ContentChanges, ContentUpdate } from "../../dds/content/changes.ts";
import { createContentOverlay } from "../../dds/content/overlay.ts";
import { createRedisContentChanges } from "../../dds/content/redis-changes.ts";
import type { RedisClient } from "../../redis/client.ts";
import { redisShapes } from "../support/redis-shapes.ts";
import type { TestRedis } from "../support/redis.ts";

const catalog = loadCatalog();

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("not within the deadline");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(redisShapes)("the content-change stream on %s", (_shape, start) => {
  let redis: TestRedis;
  let client: RedisClient;
  const opened: ContentChanges[] = [];
  const open = (prefix: string, maxLength?: number) => {
    const changes = createRedisContentChanges(client, catalog, { prefix, maxLength });
    opened.push(changes);
    return changes;
  };
  beforeAll(async () => {
    redis = await start();
    await redis.flush();
    client = await redis.connected();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((changes) => changes.close()));
    await redis?.stop();
  });

  it("hands a new follower every entity's state, then every update in order", async () => {
    const writer = open("tessera:{content-a}");
    await writer.publish({ kind: "set-title", contentId: "m1", title: "One" });
    await writer.publish({ kind: "set-rating", contentId: "m1", imdbRating: 9.5 });
    await writer.publish({ kind: "genre-add", genre: "Comedy", contentId: "m2" });

    const seen: ContentUpdate[] = [];
    await open("tessera:{content-a}").follow((update) => seen.push(update));
    expect(seen.map((update) => [update.entity, update.state])).toEqual([
      ["content:m1", { title: "One", imdbRating: 9.5 }],
      ["genre:Comedy", { m2: "added" }],
    ]);

    const takedown = await writer.publish({ kind: "takedown", contentId: "m1" });
    await until(() => seen.at(-1)?.seq === takedown.seq);
    expect(seen.at(-1)).toEqual({ seq: takedown.seq, entity: "content:m1", state: { title: "One", imdbRating: 9.5, takenDown: true } });
  });

  it("gets an update published while its connection was down", async () => {
    const overlay = createContentOverlay();
    await open("tessera:{content-b}").follow(overlay.apply);
    let dropped = 0;
    for (const master of await redis.masters()) {
      const clients = ((await master.client("LIST")) as string)
        .split("\n")
        .filter((line) => line.includes(" name=tessera:content-changes "));
      for (const line of clients) dropped += Number(await master.client("KILL", "ID", /\bid=(\d+)/.exec(line)![1]!));
    }
    expect(dropped).toBeGreaterThanOrEqual(1);
    await open("tessera:{content-b}").publish({ kind: "takedown", contentId: "m7" });
    await until(() => overlay.takenDown("m7"));
  });

  it("ends with every entity's state when the stream was trimmed past it", async () => {
    // Trimming with MAXLEN ~ drops whole nodes of the stream (100 entries each).
    const writer = open("tessera:{content-c}", 1);
    const ids = catalog.films.slice(0, 300).map((film) => film.id);
    for (const id of ids) await writer.publish({ kind: "set-title", contentId: id, title: `Title of ${id}` });
    expect(await client.xlen("tessera:{content-c}:changes")).toBeLessThan(ids.length);
    const overlay = createContentOverlay();
    await open("tessera:{content-c}").follow(overlay.apply);
    for (const id of ids) expect(overlay.title(id)).toEqual({ title: `Title of ${id}` });
  });

  it("refuses a change of content the catalog does not have", async () => {
    await expect(open("tessera:{content-d}").publish({ kind: "takedown", contentId: "m999999" })).rejects.toThrow(/no content "m999999"/);
    expect(await client.exists("tessera:{content-d}:changes")).toBe(0);
  });
});
