/**
 * Cached widgets and pages are never stale: not after a publish (through the real layout store and
 * its publish notifications), not after a change of the DDS data.
 */
import { afterEach, describe, expect, it } from "vitest";
import { wrapDdsClient } from "../../dds/client.ts";
import type { BatchGetContentResponse } from "../../protos/gen/tessera/dds/v1/content_pb.js";
import type { PageLayout } from "../../layout-service/model.ts";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { itemsOf, decodePage } from "../support/page.ts";
import { devToken, startTessera, testDds } from "../support/tessera.ts";
import type { Tessera } from "../../compositor/server.ts";

const HOME = "/v1/pages/home?platform=web&clientVersion=5.0.0";

async function home(tessera: Tessera, userId?: string) {
  const headers: Record<string, string> = userId ? { authorization: `Bearer ${await devToken({ userId, persona: "p1" })}` } : {};
  const response = await tessera.app.inject({ method: "GET", url: HOME, headers });
  expect(response.statusCode).toBe(200);
  return decodePage(response.rawPayload);
}

const dramaItems = (page: ReturnType<typeof decodePage>) => itemsOf(page.widgets.find((w) => w.instanceId === "genre-drama")!);

let api: LayoutApi | undefined;
let tessera: Tessera | undefined;
afterEach(async () => {
  await api?.stop();
  await tessera?.app.close();
  api = undefined;
  tessera = undefined;
});

describe("no stale widget after a publish", () => {
  it("serves the newly published config to anonymous and signed-in callers at once", async () => {
    api = await startLayoutApi();
    for (const user of [undefined, "u1"]) expect(dramaItems(await home(api.tessera, user))).toHaveLength(20);
    // Warm: the second request of each caller comes from the caches.
    for (const user of [undefined, "u1"]) expect(dramaItems(await home(api.tessera, user))).toHaveLength(20);

    const current = (await api.store.current("home"))!;
    const layout = structuredClone(current.layout) as PageLayout;
    for (const variant of layout.variants) {
      for (const placement of variant.placements) {
        if (placement.instanceId === "genre-drama") placement.config = { ...(placement.config as object), limit: 5 };
      }
    }
    const published = new Promise<void>((resolve) => api!.layouts.onUpdate(() => resolve()));
    await api.store.publish({
      pageId: "home",
      layout,
      baseVersion: current.version,
      author: "test",
      publishedAt: new Date().toISOString(),
      message: "shorter drama tray",
    });
    await published;

    for (const user of [undefined, "u1"]) {
      const page = await home(api.tessera, user);
      expect(page.layoutVersion).toBe(String(current.version + 1));
      expect(dramaItems(page)).toHaveLength(5);
    }
  });
});

describe("no stale widget after a data change", () => {
  it("keeps serving cached output until the data version changes, then composes afresh", async () => {
    let renamed = false;
    let dataVersion = "v1";
    const dds = wrapDdsClient(testDds(), async (_dds, method, call) => {
      const response = await call();
      if (method !== "batchGetContent" || !renamed) return response;
      const contents = (response as BatchGetContentResponse).contents.map((content) => ({
        ...content,
        title: `${content.title} (restored)`,
      }));
      return { ...(response as BatchGetContentResponse), contents };
    });
    tessera = await startTessera({ dds, dataVersion: () => dataVersion });

    for (const user of [undefined, "u1"]) expect(dramaItems(await home(tessera, user))[0]!.title).not.toMatch(/restored/);
    renamed = true;
    // The data changed but its version did not: what is cached is what is served (the caches are in use).
    for (const user of [undefined, "u1"]) expect(dramaItems(await home(tessera, user))[0]!.title).not.toMatch(/restored/);
    dataVersion = "v2";
    for (const user of [undefined, "u1"]) {
      const page = await home(tessera, user);
      expect(dramaItems(page)[0]!.title).toMatch(/\(restored\)$/);
      expect(page.widgets.find((w) => w.type === "hero")!.body.value).toBeDefined();
    }
  });
});
