import { describe, expect, it } from "vitest";
import { createPageCompositor } from "../../compositor/composition/page-compositor.ts";
import { wrapDdsClient, type DdsClient } from "../../dds/client.ts";
import { createLayoutResolver } from "../../compositor/layouts/resolver.ts";
import { createStaticLayoutSource, loadLayoutFiles } from "../../compositor/layouts/static-source.ts";
import { SEED_DIR } from "../../layout-service/seed.ts";
import { createWidgetRegistry } from "../../widget-registry/registry.ts";
import { binders, testDds } from "../support/tessera.ts";
import { requestContext } from "../support/request-context.ts";
import { allItems } from "../support/page.ts";

const ctx = requestContext({ userId: "u42", persona: "p3" });

interface Call {
  method: string;
  request: unknown;
}

/** A DDS client that records every call and answers each DDS after its own delay. */
function recordingDds(delayMs: Record<string, number> = {}): { dds: DdsClient; calls: Call[] } {
  const calls: Call[] = [];
  const dds = wrapDdsClient(testDds(), async (name, method, call, request) => {
    calls.push({ method, request });
    await new Promise((resolve) => setTimeout(resolve, delayMs[name] ?? 0));
    return call();
  });
  return { dds, calls };
}

function composeHome(dds: DdsClient) {
  const registry = createWidgetRegistry(binders);
  const layouts = createStaticLayoutSource(loadLayoutFiles(SEED_DIR));
  return createPageCompositor({ layouts, resolver: createLayoutResolver({ registry }), registry, dds }).compose("home", ctx);
}

describe("DDS batching", () => {
  it("costs the reference page one call per DDS method per wave: 6 calls", async () => {
    const { dds, calls } = recordingDds();
    const composition = await composeHome(dds);
    expect(composition!.page.widgets).toHaveLength(14);
    expect(calls.map((c) => c.method).sort()).toEqual([
      "batchGetContent",
      "batchGetEntitlements",
      "batchGetFavorites",
      "batchGetGenreLists",
      "batchGetHistory",
      "batchGetTopPicks",
    ]);
    expect(composition!.timing.ddsCalls).toBe(6);
  });

  it("sends the content of every widget of a wave in one batch call, even when first-wave lists arrive at different times", async () => {
    // reco answers after 30 ms, the user DDS after 5 ms, genre lists at once: a per-tick
    // batcher would fetch content three times.
    const { dds, calls } = recordingDds({ reco: 30, user: 5 });
    const composition = await composeHome(dds);
    expect(composition!.page.widgets).toHaveLength(14);
    expect(calls).toHaveLength(6);

    const contentCalls = calls.filter((c) => c.method === "batchGetContent");
    expect(contentCalls).toHaveLength(1);
    const asked = (contentCalls[0]!.request as { ids: string[] }).ids;
    expect(new Set(asked).size).toBe(asked.length);
    for (const item of allItems(composition!.page)) expect(asked).toContain(item.contentId);
  });
});
