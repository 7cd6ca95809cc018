import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaticLayoutSource } from "../../compositor/layouts/static-source.ts";
import { pageLayoutSchema } from "../../layout-service/model.ts";
import { create, defineBinder, z } from "../../widget-registry/sdk.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { binders, startTessera } from "../support/tessera.ts";
import { decodePage } from "../support/page.ts";
import type { Tessera } from "../../compositor/server.ts";

const throwing = defineBinder({
  type: "throwing-tray",
  body: "tray",
  templates: [{ version: "1", minClientVersion: { web: "1.0.0" }, status: "active" }],
  configSchema: z.object({}),
  cacheScope: "public",
  async fetch(_ctx, _config, dds) {
    await dds.topPicks();
    throw new Error("the recommendation model is on fire");
  },
  bind: () => create(TraySchema, {}),
});

const slow = defineBinder({
  type: "slow-tray",
  body: "tray",
  templates: [{ version: "1", minClientVersion: { web: "1.0.0" }, status: "active" }],
  configSchema: z.object({}),
  cacheScope: "public",
  deadlineMs: 50,
  async fetch() {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    return [];
  },
  bind: () => create(TraySchema, { title: "too late" }),
});

const layout = pageLayoutSchema.parse({
  pageId: "fragile",
  variants: [
    {
      id: "default",
      placements: [
        { instanceId: "hero", type: "hero" },
        { instanceId: "broken", type: "throwing-tray" },
        { instanceId: "late", type: "slow-tray" },
        { instanceId: "drama", type: "genre-tray", config: { genre: "Drama" } },
      ],
    },
  ],
});

let tessera: Tessera;
beforeAll(async () => {
  tessera = await startTessera({
    binders: [...binders, throwing, slow],
    layouts: createStaticLayoutSource(new Map([["fragile", { layout, version: 3 }]])),
  });
});
afterAll(() => tessera.app.close());

describe("failure isolation", () => {
  it("leaves out a binder that throws and one that misses its deadline, and serves the rest with 200", async () => {
    const started = performance.now();
    const response = await tessera.app.inject({ method: "GET", url: "/v1/pages/fragile?platform=web" });
    expect(response.statusCode).toBe(200);
    const page = decodePage(response.rawPayload);
    expect(page.layoutVersion).toBe("3");
    expect(page.widgets.map((w) => w.instanceId)).toEqual(["hero", "drama"]);
    expect(page.errors.map((e) => ({ instanceId: e.instanceId, type: e.type, reason: e.reason }))).toEqual([
      { instanceId: "broken", type: "throwing-tray", reason: "error" },
      { instanceId: "late", type: "slow-tray", reason: "timeout" },
    ]);
    expect(page.errors[0]!.message).toBe("the recommendation model is on fire");
    expect(page.errors[1]!.message).toBe("missed its 50 ms deadline");
    // The page did not wait for the slow binder's 10 s.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("counts the error and the timeout in the metrics by widget type", async () => {
    await tessera.app.inject({ method: "GET", url: "/v1/pages/fragile?platform=web" });
    const metrics = (await tessera.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toMatch(/tessera_widget_errors_total\{type="throwing-tray"\} [1-9]/);
    expect(metrics).toMatch(/tessera_widget_timeouts_total\{type="slow-tray"\} [1-9]/);
  });
});
