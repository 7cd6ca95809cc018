/**
 * 512 connections at once with every cache off, against `npm start`'s entry point: admission control
 * refuses what it cannot compose well with 503 `overloaded` + Retry-After, at once, and every page it
 * does serve is whole (the shipped binders, with their real 250 ms deadlines). Each connection asks
 * 4 times a second, about four times what 2 cores compose (a client that asks again the instant it
 * is refused measures how fast refusals are, see bench/overload.ts). Runs alone, after every other
 * test (vitest.config.ts), since it loads the machine.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overload, PAGE_PATH } from "../../bench/overload-run.ts";
import { startNode, type Running } from "../../bench/processes.ts";
import { devToken } from "../support/tessera.ts";

/** The server's peak resident set may not pass this: without admission control it reached 1.5 GB. */
const RSS_BOUND_MB = 700;

let server: Running;
let tokens: string[];
beforeAll(async () => {
  server = await startNode("compositor/main.ts", {
    WIDGET_CACHE: "off",
    RATE_LIMIT_MAX: "0",
    GRPC_PORT: "0",
    LOG_LEVEL: "warn",
    LAYOUT_DATA_DIR: mkdtempSync(join(tmpdir(), "tessera-overload-")),
  });
  tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => devToken({ userId: `u${i + 1}` })));
  // Compiled code, not a cold start, is what is under test: a few pages first, one at a time.
  for (const token of tokens.slice(0, 20))
    await (await fetch(server.url + PAGE_PATH, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
}, 60_000);
afterAll(() => server?.stop());

describe("512 connections with caches off", () => {
  it(
    "refuses at once with 503 overloaded and Retry-After, serves only whole pages, keeps health checks and memory in bounds",
    // Tried twice: on a shared 2-core machine the whole process is now and then held past the binders'
    // 250 ms deadline (one or two pages with every widget late, at any admission limit, since 424f7ec
    // too); a fault of admission control fails both tries.
    { timeout: 60_000, retry: 1 },
    async () => {
      const run = overload({ url: server.url, pid: server.child.pid!, connections: 512, connectionRate: 4, durationSeconds: 8, tokens });
      const health: number[] = [];
      const probing = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        for (let i = 0; i < 3; i++) health.push((await fetch(`${server.url}/healthz`)).status);
      })();
      const tally = await run;
      await probing;

      expect(tally.overloaded).toBeGreaterThan(0);
      expect(tally.overloadedWithRetryAfter).toBe(tally.overloaded);
      expect(Object.fromEntries(tally.other)).toEqual({});
      expect(tally.pages).toBeGreaterThan(0);
      expect(tally.partial).toEqual([]);
      expect(tally.fullPages).toBe(tally.pages);
      expect(tally.errors).toBe(0);
      expect(health).toEqual([200, 200, 200]);
      expect(tally.peakRssMb).toBeLessThan(RSS_BOUND_MB);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^tessera_admission_limit \d+$/m);
      expect(metrics).toMatch(/^tessera_admission_shed_total\{class="page",reason="limit"\} [1-9]\d*$/m);
    },
  );
});
