/**
 * A real Prometheus for tests: Debian's `prometheus` binary on a free port, its data in a throwaway
 * folder, scraping the given targets every second and evaluating the given rule files every second.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, stopServer } from "./redis.ts";

export const PROMETHEUS = "/usr/bin/prometheus";
export const PROMTOOL = "/usr/bin/promtool";

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface TestPrometheus {
  url: string;
  /** An instant query through the HTTP API (/api/v1/query). */
  query(expr: string): Promise<Sample[]>;
  /** What it logged last, for failures. */
  log(): string;
  /** Stops it and removes its data. */
  stop(): Promise<void>;
}

export async function startPrometheus(options: { targets: string[]; ruleFiles?: string[] }): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-prometheus-"));
  const config = {
    global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: [{ job_name: "tessera", static_configs: [{ targets: options.targets }] }],
  };
  // JSON is YAML.
  writeFileSync(join(dir, "prometheus.yml"), JSON.stringify(config));
  const port = await freePort();
  const server = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  server.stderr!.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`prometheus exited (${server.exitCode}): ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready within 30 s: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: Sample[] } };
      if (body.status !== "success") throw new Error(`query ${expr}: ${body.error}`);
      return body.data!.result;
    },
    log: () => log,
    stop,
  };
}
