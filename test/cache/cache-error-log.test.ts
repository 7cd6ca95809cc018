import type { FastifyBaseLogger } from "fastify";
import { unreachableRedis } from "../support/redis.ts";
import { describe, expect, it } from "vitest";
import { cacheErrorLog } from "../../compositor/cache/cache-error-log.ts";
import { startTessera } from "../support/tessera.ts";

describe("the composition cache's Redis failures", () => {
  it("are each counted, and logged first then at most once an interval with the count since", () => {
    const logged: unknown[] = [];
    const log = { warn: (fields: unknown) => logged.push(fields) } as unknown as FastifyBaseLogger;
    let counted = 0;
    let now = 0;
    const report = cacheErrorLog(
      () => log,
      () => counted++,
      10_000,
      () => now,
    );
    const failure = new Error("connection refused");
    for (const at of [0, 1_000, 2_000, 10_000, 15_000, 20_500]) {
      now = at;
      report(failure);
    }
    expect(counted).toBe(6);
    expect(logged).toEqual([
      { err: failure, failures: 1 },
      { err: failure, failures: 3 },
      { err: failure, failures: 2 },
    ]);
  });
});

describe("a server whose Redis is unreachable", () => {
  it("serves pages without the widget cache and counts its failures in tessera_cache_errors_total", async () => {
    const lost = unreachableRedis();
    const server = await startTessera({ redis: lost });
    try {
      expect((await server.app.inject({ url: "/v1/pages/home?platform=web" })).statusCode).toBe(200);
      const metrics = (await server.app.inject({ url: "/metrics" })).body;
      const failures = Number(/^tessera_cache_errors_total (\d+)$/m.exec(metrics)?.[1]);
      expect(failures).toBeGreaterThan(0);
    } finally {
      await server.app.close();
      lost.disconnect();
    }
  });
});
