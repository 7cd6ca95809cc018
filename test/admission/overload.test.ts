/**
 * 512 connections at once with every cache off, against `npm start`'s entry point: admission control
 * refuses what it cannot compose well with 503 `overloaded` + Retry-After, at once, and every page it
 * does serve is whole (the shipped binders, with their real 250 ms deadlines). Each connection asks
 * 4 times a second, about four times what 2 cores compose (a client that asks again the instant it
 * is refused measures how fast refusals are, see bench/overload.ts). Runs alone, after every other
 * test (vitest.config.ts), since it loads the machine.
 */
import autocannon, { type Request } from "autocannon";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNode, type Running } from "../../bench/processes.ts";
import { devToken } from "../support/tessera.ts";

const PAGE = "/v1/pages/home?platform=web&clientVersion=5.0.0";
/** The reference page's widgets for a signed-in user (docs/workload.md). */
const WHOLE_PAGE_WIDGETS = 14;
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
    await (await fetch(server.url + PAGE, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
}, 60_000);
afterAll(() => server?.stop());

const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

describe("512 connections with caches off", () => {
  it(
    "refuses at once with 503 overloaded and Retry-After, serves only whole pages, keeps health checks and memory in bounds",
    { timeout: 60_000 },
    async () => {
      const tally = { pages: 0, wholePages: 0, partial: [] as string[], overloaded: 0, withRetryAfter: 0, other: [] as string[] };
      let n = 0;
      const load = autocannon({
        url: server.url + PAGE,
        connections: 512,
        connectionRate: 4,
        duration: 8,
        requests: [
          {
            setupRequest: (request: Request) => ({
              ...request,
              headers: { ...request.headers, accept: "application/json", authorization: `Bearer ${tokens[n++ % tokens.length]}` },
            }),
            onResponse: (status, body, _context, headers) => {
              if (status === 200) {
                tally.pages++;
                // Protobuf JSON leaves an empty list out.
                const page = JSON.parse(body) as { widgets?: unknown[]; errors?: Array<{ instanceId: string; message: string }> };
                if (page.widgets?.length === WHOLE_PAGE_WIDGETS) tally.wholePages++;
                else tally.partial.push(page.errors?.map((e) => `${e.instanceId}: ${e.message}`).join("; ") ?? "");
              } else if (status === 503 && (JSON.parse(body) as { code: string }).code === "overloaded") {
                tally.overloaded++;
                if (headers["retry-after"] === "1") tally.withRetryAfter++;
              } else {
                tally.other.push(`${status} ${body.slice(0, 200)}`);
              }
            },
          },
        ],
      });
      const health: number[] = [];
      const probing = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        for (let i = 0; i < 3; i++) health.push((await fetch(`${server.url}/healthz`)).status);
      })();
      const result = await load;
      await probing;

      expect(tally.overloaded).toBeGreaterThan(0);
      expect(tally.withRetryAfter).toBe(tally.overloaded);
      expect(tally.other).toEqual([]);
      expect(tally.pages).toBeGreaterThan(0);
      expect(tally.partial).toEqual([]);
      expect(tally.wholePages).toBe(tally.pages);
      expect(result.errors).toBe(0);
      expect(health).toEqual([200, 200, 200]);
      expect(peakRssMb(server.child.pid!)).toBeLessThan(RSS_BOUND_MB);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^tessera_admission_limit \d+$/m);
      expect(metrics).toMatch(/^tessera_admission_shed_total\{class="page",reason="limit"\} [1-9]\d*$/m);
    },
  );
});
