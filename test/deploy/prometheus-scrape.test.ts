/**
 * Debian's Prometheus scrapes a running Tessera (`node compositor/main.ts`) with the shipped rules
 * loaded, and its HTTP API gives back Tessera's series and what the recording rules make of them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startNode, type Running } from "../../bench/processes.ts";
import { startPrometheus, type Sample, type TestPrometheus } from "../support/prometheus.ts";

let tessera: Running;
let prometheus: TestPrometheus;
const layoutDir = mkdtempSync(join(tmpdir(), "tessera-scraped-"));

beforeAll(async () => {
  tessera = await startNode("compositor/main.ts", {
    GRPC_PORT: "0",
    LOG_LEVEL: "warn",
    NODE_ENV: "development",
    LAYOUT_DATA_DIR: layoutDir,
  });
  prometheus = await startPrometheus({
    targets: [new URL(tessera.url).host],
    ruleFiles: [join(ROOT, "deploy/prometheus/recording-rules.yml"), join(ROOT, "deploy/prometheus/alerting-rules.yml")],
  });
}, 90_000);

afterAll(async () => {
  await Promise.all([prometheus?.stop(), tessera?.stop()]);
  rmSync(layoutDir, { recursive: true, force: true });
});

/** Asks for pages and queries until the query gives a series `accept`s, within 60 s. */
async function pollWhileServing(expr: string, accept: (sample: Sample) => boolean): Promise<Sample> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = await fetch(`${tessera.url}/v1/pages/home?platform=web`);
    expect(page.status).toBe(200);
    await page.arrayBuffer();
    const found = (await prometheus.query(expr)).find(accept);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no series of ${expr} within 60 s; prometheus said: ${prometheus.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("Prometheus scraping Tessera", () => {
  it("reads Tessera's page counter back through the HTTP API", async () => {
    const sample = await pollWhileServing('tessera_pages_total{page="home",outcome="ok"}', (s) => Number(s.value[1]) >= 1);
    expect(sample.metric).toMatchObject({ job: "tessera", instance: new URL(tessera.url).host, page: "home", outcome: "ok" });
  }, 90_000);

  it("evaluates the recording rules over the scraped series: p99 by page, cache hit ratio by layer, event-loop delay", async () => {
    const p99 = await pollWhileServing(
      "tessera:page_duration_seconds:p99_5m",
      (s) => s.metric.page === "home" && Number.isFinite(Number(s.value[1])),
    );
    expect(Number(p99.value[1])).toBeGreaterThan(0);
    // Every request after the first is a page-cache hit: the ratio is a number between 0 and 1.
    const hits = await pollWhileServing(
      "tessera:cache_hits:ratio_rate5m",
      (s) => s.metric.layer === "page" && Number.isFinite(Number(s.value[1])),
    );
    expect(Number(hits.value[1])).toBeGreaterThan(0);
    expect(Number(hits.value[1])).toBeLessThanOrEqual(1);
    const loop = await pollWhileServing("tessera:eventloop_lag_p99_seconds", () => true);
    expect(loop.metric.instance).toBe(new URL(tessera.url).host);
  }, 120_000);
});
