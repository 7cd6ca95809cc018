import { unreachableRedis } from "../support/redis.ts";
import { describe, expect, it } from "vitest";
import { createStaticLayoutSource } from "../../compositor/layouts/static-source.ts";
import { startTessera } from "../support/tessera.ts";

describe("/readyz", () => {
  it("is ready, listing its checks, with layouts loaded", async () => {
    const { app } = await startTessera();
    try {
      const response = await app.inject({ url: "/readyz" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: "ready", checks: { layouts: { status: "ok" }, dds: { status: "ok" } } });
    } finally {
      await app.close();
    }
  });

  it("is degraded, still 200, with the reason, while Redis is unreachable and layouts are in memory", async () => {
    const lost = unreachableRedis();
    const { app } = await startTessera({ redis: lost });
    try {
      const response = await app.inject({ url: "/readyz" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        status: "degraded",
        checks: {
          layouts: { status: "ok" },
          dds: { status: "ok" },
          redis: { status: "degraded", reason: expect.stringMatching(/Redis unreachable .*serving layouts from memory/) },
        },
      });
      expect((await app.inject({ url: "/metrics" })).body).toMatch(/^tessera_redis_connected 0$/m);
    } finally {
      await app.close();
      lost.disconnect();
    }
  });

  it("is degraded, still 200, with the reason, while the feature flags are not initialized (serving fallbacks)", async () => {
    let initialized = false;
    const { app } = await startTessera({ flagsInitialized: () => initialized });
    try {
      const before = await app.inject({ url: "/readyz" });
      expect(before.statusCode).toBe(200);
      expect(before.json()).toMatchObject({
        status: "degraded",
        checks: { flags: { status: "degraded", reason: expect.stringMatching(/not initialized.*every flag reads as its fallback/) } },
      });
      initialized = true;
      expect((await app.inject({ url: "/readyz" })).json()).toMatchObject({ status: "ready", checks: { flags: { status: "ok" } } });
    } finally {
      await app.close();
    }
  });

  it("is 503 with the reasons before any layout is loaded", async () => {
    const { app } = await startTessera({ layouts: createStaticLayoutSource(new Map()) });
    try {
      const response = await app.inject({ url: "/readyz" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        code: "not-ready",
        message: "layouts: no published layouts loaded yet",
        status: "not-ready",
      });
    } finally {
      await app.close();
    }
  });
});
