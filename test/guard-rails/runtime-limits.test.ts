import { describe, expect, it } from "vitest";
import { GridSchema } from "../../protos/gen/tessera/widgets/v1/grid_pb.js";
import { pageLayoutSchema } from "../../layout-service/model.ts";
import { createStaticLayoutSource } from "../../compositor/layouts/static-source.ts";
import { binderProblem } from "../../widget-registry/registry.ts";
import { create, defineBinder, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { testBinder } from "../../widget-registry/testing.ts";
import { startTessera } from "../support/tessera.ts";

const templates = [
  { version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" as const },
];

/** A grid binder with no guard-rail code of its own: no timers, no caps, no metrics. */
function gridBinder(
  type: string,
  options: { deadlineMs?: number; maxItems?: number; delayMs?: number; fail?: boolean; count?: number } = {},
) {
  return defineBinder({
    type,
    body: "grid",
    templates,
    configSchema: z.object({}),
    cacheScope: "public",
    deadlineMs: options.deadlineMs,
    maxItems: options.maxItems,
    async fetch(_ctx, _config, dds): Promise<Tile[]> {
      const tiles = await dds.tiles(await dds.topPicks());
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.fail) throw new Error("the widget broke");
      return tiles;
    },
    bind(tiles, ctx) {
      const items = Array.from({ length: options.count ?? tiles.length }, (_, i) => toItem(tiles[i % tiles.length]!, ctx));
      return create(GridSchema, { title: type, columns: 4, items });
    },
  });
}

describe("the runtime holds a binder to what it declares", () => {
  it("leaves a binder out when it misses its deadline", async () => {
    const run = await testBinder(gridBinder("late", { deadlineMs: 20, delayMs: 300 }));
    expect(run.outcome).toBe("timeout");
    expect(run.message).toBe("missed its 20 ms deadline");
  });

  it("cuts the items to the binder's maxItems", async () => {
    const run = await testBinder(gridBinder("greedy", { maxItems: 3 }));
    expect(run.outcome).toBe("ok");
    expect(run.body?.items).toHaveLength(3);
  });

  it("cuts a binder that declares no maxItems to the default of 50", async () => {
    const run = await testBinder(gridBinder("unbounded", { count: 80 }));
    expect(run.body?.items).toHaveLength(50);
  });

  it("refuses a deadline or item cap that is not a positive integer", () => {
    expect(binderProblem(gridBinder("x", { deadlineMs: 0 }))).toBe("deadlineMs must be a positive integer");
    expect(binderProblem(gridBinder("x", { maxItems: 2.5 }))).toBe("maxItems must be a positive integer");
    expect(binderProblem(gridBinder("x", { deadlineMs: 100, maxItems: 10 }))).toBeUndefined();
  });

  it("refuses an impression rule outside 1–100 % and 0–10000 ms", () => {
    const withRule = (visiblePercent: number, durationMs: number) => ({ ...gridBinder("x"), impression: { visiblePercent, durationMs } });
    expect(binderProblem(withRule(0, 800))).toBe("impression.visiblePercent must be an integer from 1 to 100");
    expect(binderProblem(withRule(101, 800))).toBe("impression.visiblePercent must be an integer from 1 to 100");
    expect(binderProblem(withRule(50, -1))).toBe("impression.durationMs must be an integer from 0 to 10000");
    expect(binderProblem(withRule(50, 10_001))).toBe("impression.durationMs must be an integer from 0 to 10000");
    expect(binderProblem(withRule(100, 0))).toBeUndefined();
  });

  it("writes the binder's impression rule, else half of it for 800 ms, into the widget's logging data", async () => {
    expect((await testBinder(gridBinder("x"))).widget?.logging?.visibility).toMatchObject({ visiblePercent: 50, durationMs: 800 });
    const strict = { ...gridBinder("x"), impression: { visiblePercent: 100, durationMs: 2000 } };
    expect((await testBinder(strict)).widget?.logging?.visibility).toMatchObject({ visiblePercent: 100, durationMs: 2000 });
  });

  it("numbers every item, one-based, after cutting to maxItems", async () => {
    const run = await testBinder(gridBinder("x", { maxItems: 3, count: 8 }));
    expect(run.body?.items.map((item) => item.logging?.position)).toEqual([1, 2, 3]);
  });
});

describe("per-widget metrics need no code in the binder", () => {
  it("records latency, errors, timeouts and DDS requests per widget type", async () => {
    const layout = pageLayoutSchema.parse({
      pageId: "guard",
      variants: [
        {
          id: "all",
          placements: [
            { instanceId: "plain", type: "plain" },
            { instanceId: "broken", type: "broken" },
            { instanceId: "late", type: "late" },
          ],
        },
      ],
    });
    const { app } = await startTessera({
      binders: [gridBinder("plain"), gridBinder("broken", { fail: true }), gridBinder("late", { deadlineMs: 20, delayMs: 300 })],
      layouts: createStaticLayoutSource(new Map([["guard", { layout, version: 1 }]])),
    });
    try {
      const page = await app.inject({ url: "/v1/pages/guard?platform=web", headers: { accept: "application/json" } });
      expect(page.statusCode).toBe(200);
      expect(page.json().errors.map((e: { type: string; reason: string }) => `${e.type}:${e.reason}`)).toEqual([
        "broken:error",
        "late:timeout",
      ]);

      const metrics = (await app.inject({ url: "/metrics" })).body;
      expect(metrics).toContain('tessera_widget_duration_seconds_count{type="plain"} 1');
      expect(metrics).toContain('tessera_widget_errors_total{type="broken"} 1');
      expect(metrics).toContain('tessera_widget_timeouts_total{type="late"} 1');
      expect(metrics).toContain('tessera_widget_dds_requests_total{type="plain"} 2');
      expect(metrics).not.toContain('tessera_widget_errors_total{type="plain"}');
    } finally {
      await app.close();
    }
  });
});
