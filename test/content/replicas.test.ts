/**
 * Changes on many replicas: three compositor processes on a 3-master Redis Cluster
 * (REDIS_CLUSTER_NODES), as they run behind a load balancer. A layout published on one is served by
 * all three; a content change made with `npm run content` or appended to the stream is served by all
 * three within a second, a takedown included. (How fast a publish spreads is measured by
 * `npm run bench:freshness`, not asserted here.)
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Running } from "../../bench/processes.ts";
import { loadCatalog } from "../../dds/catalog/films.ts";
import type { ContentChanges } from "../../dds/content/changes.ts";
import { createRedisContentChanges } from "../../dds/content/redis-changes.ts";
import { measurePropagation, servedVersion, startCompositors } from "../support/compositor-pair.ts";
import { homeJson, showsContent, timeToAllReplicas, whenAllServe } from "../support/freshness.ts";
import { startTestRedisCluster, type TestRedisCluster } from "../support/redis-cluster.ts";

const run = promisify(execFile);

/** The content ids of the home page's Drama tray, in order. */
async function dramaIds(baseUrl: string): Promise<string[]> {
  const page = JSON.parse(await homeJson(baseUrl)) as {
    widgets: Array<{ instanceId: string; tray?: { items: Array<{ contentId: string }> } }>;
  };
  return page.widgets.find((widget) => widget.instanceId === "genre-drama")!.tray!.items.map((item) => item.contentId);
}

describe("content changes on three compositors sharing a Redis Cluster", () => {
  let redis: TestRedisCluster;
  let replicas: Running[];
  let changes: ContentChanges;
  beforeAll(async () => {
    redis = await startTestRedisCluster();
    replicas = await startCompositors(redis.env, 3);
    changes = createRedisContentChanges(await redis.connected(), loadCatalog());
    // Warm every cache tier of every replica.
    for (let i = 0; i < 2; i++) for (const replica of replicas) await homeJson(replica.url);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(replicas?.map((replica) => replica.stop()) ?? []);
    await redis?.stop();
  });

  it("serves a layout published on one replica on every replica", async () => {
    const [sample] = await measurePropagation(replicas[0]!, replicas, 1);
    for (const replica of replicas) expect(await servedVersion(replica.url)).toBe(String(sample!.version));
  }, 30_000);

  it("serves a title set with npm run content on every replica", async () => {
    const [contentId] = await dramaIds(replicas[0]!.url);
    await run(process.execPath, ["scripts/content.ts", "set-title", contentId!, "Set", "From", "The", "Command"], {
      env: { ...process.env, ...redis.env },
    });
    await whenAllServe(replicas, (json) => json.includes(`"title":"Set From The Command"`));
  }, 30_000);

  it("serves a retitle on every replica within a second", async () => {
    const [, contentId] = await dramaIds(replicas[1]!.url);
    const ms = await timeToAllReplicas(changes, { kind: "set-title", contentId: contentId!, title: "Retitled For All" }, replicas, (json) =>
      json.includes(`"title":"Retitled For All"`),
    );
    expect(ms).toBeLessThan(1_000);
  }, 30_000);

  it("removes a taken-down title from every widget of every replica within a second", async () => {
    const [, , contentId] = await dramaIds(replicas[2]!.url);
    for (const replica of replicas) expect(showsContent(await homeJson(replica.url), contentId!)).toBe(true);
    const ms = await timeToAllReplicas(
      changes,
      { kind: "takedown", contentId: contentId! },
      replicas,
      (json) => !showsContent(json, contentId!),
    );
    expect(ms).toBeLessThan(1_000);
    // And it stays gone: no tier of any replica serves it again.
    for (const replica of replicas) expect(showsContent(await homeJson(replica.url), contentId!)).toBe(false);
  }, 30_000);

  it("refuses an unknown content id with exit code 1 and the reason", async () => {
    const failed = await run(process.execPath, ["scripts/content.ts", "takedown", "m999999"], {
      env: { ...process.env, ...redis.env },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringMatching(/no content "m999999"/) });
  }, 30_000);
});
