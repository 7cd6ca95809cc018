/**
 * Content changes and a remote DDS that applies them late: `node dds/main.ts` and
 * `node compositor/main.ts` with DDS_URL on one Redis, the DDS reaching Redis through a link the
 * test holds, so the compositor applies a change (and drops its caches) while the DDS still serves
 * the old data. What is composed meanwhile is served but kept nowhere: not the page, not the widgets
 * (in process or in the Redis widget tier), not the shared entities. Once the DDS has caught up,
 * every page shows the change.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDds, startNode, type Running, type RunningDds } from "../../bench/processes.ts";
import { remoteDdsClient } from "../../dds/client.ts";
import { loadCatalog } from "../../dds/catalog/films.ts";
import type { ContentChange, ContentChanges } from "../../dds/content/changes.ts";
import { CONTENT_SEQ_HEADER } from "../../dds/content/content-seq.ts";
import { createRedisContentChanges } from "../../dds/content/redis-changes.ts";
import type { Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { WidgetSchema } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";
import { startHeldLink, type HeldLink } from "../support/held-link.ts";
import { allItems, ddsCallsOf, decodePage, itemsOf } from "../support/page.ts";
import { startTestRedis, type TestRedis } from "../support/redis.ts";

const HOME = "/v1/pages/home?platform=web";

describe("content changes the remote DDS applies after the compositor", () => {
  let redis: TestRedis;
  let link: HeldLink;
  let dds: RunningDds;
  let compositor: Running;
  let changes: ContentChanges;
  beforeAll(async () => {
    redis = await startTestRedis();
    await redis.flush();
    const redisUrl = new URL(redis.env.REDIS_URL!);
    link = await startHeldLink({ host: redisUrl.hostname, port: Number(redisUrl.port) });
    dds = await startDds({ REDIS_URL: `redis://127.0.0.1:${link.port}` });
    compositor = await startNode("compositor/main.ts", {
      ...redis.env,
      DDS_URL: dds.url,
      GRPC_PORT: "0",
      LOG_LEVEL: "warn",
      RATE_LIMIT_MAX: "100000000",
      NODE_ENV: "development",
    });
    changes = createRedisContentChanges(await redis.connected(), loadCatalog());
  }, 90_000);
  afterAll(async () => {
    link?.release();
    await compositor?.stop();
    await dds?.stop("SIGKILL");
    await changes?.close();
    await link?.close();
    await redis?.stop();
  });

  /** The anonymous home page, and how many DDS calls composing it made (0: served from the page cache). */
  async function home(): Promise<{ page: Page; ddsCalls: number }> {
    const response = await fetch(`${compositor.url}${HOME}`, {
      headers: { accept: "application/x-protobuf" },
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(200);
    return {
      page: decodePage(new Uint8Array(await response.arrayBuffer())),
      ddsCalls: ddsCallsOf(response.headers.get("server-timing") ?? ""),
    };
  }

  /** The content ids of the home page's Drama tray; polls while a cold start leaves the tray out (its deadline passed). */
  async function dramaIds(): Promise<string[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const tray = (await home()).page.widgets.find((widget) => widget.instanceId === "genre-drama");
      if (tray) return itemsOf(tray).map((item) => item.contentId);
      if (Date.now() > deadline) throw new Error("no Drama tray on the home page within 20 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The content seq the DDS process reports having applied. */
  async function ddsSeq(): Promise<number> {
    let seq = Number.NaN;
    const client = remoteDdsClient(createConnectTransport({ baseUrl: dds.url, httpVersion: "1.1" }));
    await client.content.batchGetContent({ ids: [] }, { onHeader: (headers) => void (seq = Number(headers.get(CONTENT_SEQ_HEADER))) });
    return seq;
  }

  /** Widget entries in Redis that a compositor knowing the change (content:`contentId` at `seq`) would accept, yet show an item `stale` holds for. */
  async function staleRedisEntries(contentId: string, seq: number, stale: (item: Item) => boolean): Promise<string[]> {
    const [master] = await redis.masters();
    const found: string[] = [];
    for (const key of await redis.keys("tessera:widget:v3:*")) {
      if (key.endsWith(":vary")) continue;
      const bytes = await master!.getBuffer(key);
      if (!bytes) continue;
      const length = bytes.readUInt32BE(0);
      const revision = (JSON.parse(bytes.subarray(4, 4 + length).toString()) as Record<string, number>)[`content:${contentId}`];
      const accepted = revision === undefined || revision >= seq;
      // After the revisions, the next cursor: its length (2 bytes) and its bytes; then the widget.
      const widgetAt = 4 + length + 2 + bytes.readUInt16BE(4 + length);
      if (accepted && itemsOf(fromBinary(WidgetSchema, bytes.subarray(widgetAt))).some(stale)) found.push(key);
    }
    return found;
  }

  /** Polls until the page is served from the page cache (no DDS call). */
  async function untilKept(): Promise<void> {
    const deadline = Date.now() + 20_000;
    while ((await home()).ddsCalls > 0) {
      if (Date.now() > deadline) throw new Error("the home page was not kept within 20 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function notKeptCount(): Promise<number> {
    const text = await (await fetch(`${compositor.url}/metrics`)).text();
    return Number(/^tessera_cache_not_kept_dds_behind_total (\d+)$/m.exec(text)?.[1]);
  }

  /**
   * Publishes `change` while the DDS cannot read it; checks that the compositor, having applied it,
   * serves pages the DDS made (`before` holds for them) and keeps none; then lets the DDS catch up.
   */
  async function whileTheDdsIsBehind(change: ContentChange, before: (page: Page) => boolean): Promise<number> {
    // Warm: the page is served from the page cache.
    await untilKept();
    const notKept = await notKeptCount();

    link.hold();
    const { seq } = await changes.publish(change);
    // Once the compositor has applied the change, it composes the page from the DDS behind and keeps nothing.
    const deadline = Date.now() + 10_000;
    let behind = await home();
    while ((await notKeptCount()) === notKept && Date.now() < deadline) behind = await home();
    expect(await notKeptCount()).toBeGreaterThan(notKept);
    expect(await ddsSeq()).toBeLessThan(seq);
    expect(before(behind.page)).toBe(true); // served from the DDS behind
    const again = await home();
    expect(again.ddsCalls).toBeGreaterThan(0); // not kept: composed again
    expect(before(again.page)).toBe(true);

    link.release();
    const caughtUp = Date.now() + 10_000;
    while ((await ddsSeq()) < seq && Date.now() < caughtUp) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await ddsSeq()).toBeGreaterThanOrEqual(seq);
    return seq;
  }

  it("never keeps a page showing a taken-down title once the compositor knows the takedown", async () => {
    const [contentId] = await dramaIds();
    const shown = (item: Item) => item.contentId === contentId;
    const seq = await whileTheDdsIsBehind({ kind: "takedown", contentId: contentId! }, (page) => allItems(page).some(shown));
    expect(await staleRedisEntries(contentId!, seq, shown)).toEqual([]);
    for (let i = 0; i < 3; i++) expect(allItems((await home()).page).some(shown)).toBe(false);
    await untilKept(); // kept again, now that the DDS is current
    expect(await staleRedisEntries(contentId!, seq, shown)).toEqual([]);
  }, 60_000);

  it("never keeps a title's old name, in widgets or shared entities, once the compositor knows the retitle", async () => {
    const [, contentId] = await dramaIds();
    const oldTitle = loadCatalog().byId.get(contentId!)!.title;
    const titled = (title: string) => (item: Item) => item.contentId === contentId && item.title === title;
    const seq = await whileTheDdsIsBehind({ kind: "set-title", contentId: contentId!, title: "Retitled Behind The DDS" }, (page) =>
      allItems(page).some(titled(oldTitle)),
    );
    expect(await staleRedisEntries(contentId!, seq, titled(oldTitle))).toEqual([]);
    for (let i = 0; i < 3; i++) {
      const items = allItems((await home()).page);
      expect(items.some(titled(oldTitle))).toBe(false);
      expect(items.some(titled("Retitled Behind The DDS"))).toBe(true);
    }
  }, 60_000);
});
