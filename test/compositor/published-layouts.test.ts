import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileStore } from "../../layout-service/file-store.ts";
import { createPublishedLayouts } from "../../compositor/layouts/published-layouts.ts";
import type { LayoutStore, StoreListener } from "../../layout-service/store.ts";
import { layoutOf } from "../layout-service/store-contract.ts";

const at = "2026-11-22T10:00:00.000Z";

describe("published layouts in memory", () => {
  let dir: string;
  let store: LayoutStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-published-"));
    store = await createFileStore(dir);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const publish = (baseVersion: number, ids: string[]) =>
    store.publish({ pageId: "p", layout: layoutOf("p", ids), baseVersion, author: "a", publishedAt: at, message: "" });

  it("loads every page at start and follows publishes", async () => {
    await publish(0, ["a"]);
    const layouts = await createPublishedLayouts(store);
    expect((await layouts.getPublished("p"))?.version).toBe(1);
    await publish(1, ["b"]);
    await expect.poll(async () => (await layouts.getPublished("p"))?.version).toBe(2);
    expect(layouts.versions()).toEqual(new Map([["p", 2]]));
    layouts.close();
  });

  it("never goes back to an older version when notifications arrive late or twice", async () => {
    let listener: StoreListener | undefined;
    const quiet: LayoutStore = { ...store, watch: (l) => ((listener = l), () => {}) };
    await publish(0, ["a"]);
    await publish(1, ["b"]);
    const layouts = await createPublishedLayouts(quiet);
    listener!.published("p", 1, "files");
    listener!.published("p", 2, "files");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await layouts.getPublished("p"))?.version).toBe(2);
    layouts.close();
  });

  it("catches up by its periodic check when a notification never comes", async () => {
    const deaf: LayoutStore = { ...store, watch: () => () => {} };
    await publish(0, ["a"]);
    const layouts = await createPublishedLayouts(deaf, { checkEveryMs: 20 });
    await publish(1, ["b"]);
    await expect.poll(async () => (await layouts.getPublished("p"))?.version, { timeout: 2000 }).toBe(2);
    layouts.close();
  });

  it("takes the store's layout at a lower version when the store's lineage changed (it lost its data)", async () => {
    let listener: StoreListener | undefined;
    let lineage = "before";
    const resettable: LayoutStore = {
      ...store,
      watch: (l) => ((listener = l), () => {}),
      publishedVersions: async () => ({ ...(await store.publishedVersions()), lineage }),
    };
    await publish(0, ["a"]);
    await publish(1, ["b"]);
    const layouts = await createPublishedLayouts(resettable);
    expect((await layouts.getPublished("p"))?.version).toBe(2);

    // The store starts over: version 1 again, with another layout.
    await store.close();
    await rm(dir, { recursive: true, force: true });
    store = await createFileStore(dir);
    Object.assign(resettable, {
      current: store.current,
      publishedVersions: async () => ({ ...(await store.publishedVersions()), lineage }),
    });
    await publish(0, ["c"]);
    lineage = "after";
    listener!.published("p", 1, "after");
    await expect.poll(async () => (await layouts.getPublished("p"))?.layout.variants[0]!.placements[0]!.instanceId).toBe("c");
    expect(layouts.versions()).toEqual(new Map([["p", 1]]));

    // Within the new lineage, versions go up again only.
    listener!.published("p", 0, "after");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await layouts.getPublished("p"))?.version).toBe(1);
    layouts.close();
  });

  it("compares versions again after a failed read, until one succeeds", async () => {
    let listener: StoreListener | undefined;
    let reachable = true;
    const flaky: LayoutStore = {
      ...store,
      watch: (l) => ((listener = l), () => {}),
      publishedVersions: () => (reachable ? store.publishedVersions() : Promise.reject(new Error("unreachable"))),
      current: (pageId) => (reachable ? store.current(pageId) : Promise.reject(new Error("unreachable"))),
    };
    await publish(0, ["a"]);
    const layouts = await createPublishedLayouts(flaky, { retryMs: 20 });
    reachable = false;
    await publish(1, ["b"]);
    listener!.published("p", 2, "files");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await layouts.getPublished("p"))?.version).toBe(1);
    reachable = true;
    await expect.poll(async () => (await layouts.getPublished("p"))?.version, { timeout: 2000 }).toBe(2);
    layouts.close();
  });
});
