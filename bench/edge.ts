/**
 * Anonymous pages through Varnish (the shipped VCL, deploy/varnish/) against Tessera direct: the
 * compositor as in production, Varnish in front of it, the same URL (one persona) driven with
 * autocannon, the two scenarios interleaved in slices, rounds, medians.
 *
 *   npm run bench:edge                 3 rounds of 10 s per scenario
 *   npm run bench:edge -- --quick      one round of 3 s
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { startVarnish, type TestVarnish } from "../test/support/varnish.ts";
import { addSample, emptySample, load, loadSample, summarizeSample, type LoadResult, type LoadSample } from "./load.ts";
import { describeMachine } from "./machine.ts";
import { median } from "./measures.ts";
import { startNode, type Running } from "./processes.ts";

const { values: args } = parseArgs({
  options: { quick: { type: "boolean", default: false }, duration: { type: "string" }, rounds: { type: "string" } },
});
const durationSeconds = Number(args.duration ?? (args.quick ? 3 : 10));
const rounds = Number(args.rounds ?? (args.quick ? 1 : 3));
const SLICE_SECONDS = args.quick ? 1 : 2;
const CONNECTIONS = 32;
const PAGE_PATH = "/v1/pages/home?platform=web&clientVersion=5.0.0&persona=p3";

async function until(condition: () => Promise<boolean>, deadlineMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await condition().catch(() => false))) {
    if (Date.now() - started > deadlineMs) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let tessera: Running | undefined;
let varnish: TestVarnish | undefined;
try {
  // RATE_LIMIT_MAX=0: the load generator is one client at one address, which rate limiting would refuse.
  tessera = await startNode("compositor/main.ts", {
    NODE_ENV: "production",
    JWT_SECRET: `bench-${randomUUID()}`,
    PAGE_TOKEN_SECRET: `bench-${randomUUID()}`,
    LOG_LEVEL: "info",
    GRPC_PORT: "0",
    RATE_LIMIT_MAX: "0",
  });
  varnish = await startVarnish(Number(new URL(tessera.url).port));
  await until(async () => (await fetch(`${varnish!.url}/healthz`)).ok, 15_000, "Varnish finds Tessera healthy");
  const check = await fetch(varnish.url + PAGE_PATH).then(() => fetch(varnish!.url + PAGE_PATH));
  if (check.headers.get("x-cache") !== "HIT")
    throw new Error(`the page is not a hit through Varnish: ${check.headers.get("cache-control")}`);

  const scenarios = { direct: tessera.url, edge: varnish.url };
  type Name = keyof typeof scenarios;
  for (const url of Object.values(scenarios)) await load({ url: url + PAGE_PATH, connections: CONNECTIONS, durationSeconds: 3 });
  const results: Record<Name, LoadResult[]> = { direct: [], edge: [] };
  const slices = Math.max(1, Math.round(durationSeconds / SLICE_SECONDS));
  for (let round = 1; round <= rounds; round++) {
    console.error(
      `round ${round}/${rounds}: direct and through Varnish interleaved, ${CONNECTIONS} connections, ${slices} × ${durationSeconds / slices} s each`,
    );
    const samples: Record<Name, LoadSample> = { direct: emptySample(), edge: emptySample() };
    for (let slice = 0; slice < slices; slice++) {
      for (const [name, url] of Object.entries(scenarios) as Array<[Name, string]>) {
        addSample(
          samples[name],
          await loadSample({ url: url + PAGE_PATH, connections: CONNECTIONS, durationSeconds: durationSeconds / slices }),
        );
      }
    }
    for (const name of Object.keys(scenarios) as Name[]) {
      const result = summarizeSample(samples[name]);
      if (result.non2xx > 0 || result.errors > 0) console.error(`  ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      results[name].push(result);
    }
  }
  const row = (label: string, runs: LoadResult[]) =>
    `| ${label} | ${CONNECTIONS} | ${Math.round(median(runs.map((r) => r.pagesPerSecond)))} | ${median(runs.map((r) => r.p50)).toFixed(2)} | ${median(runs.map((r) => r.p99)).toFixed(2)} |`;
  const ratio = median(results.edge.map((run, i) => run.pagesPerSecond / results.direct[i]!.pagesPerSecond));
  console.log(
    [
      `Machine: ${describeMachine()}. ${rounds} round(s) of ${durationSeconds} s per scenario; medians.`,
      "",
      "| anonymous page (persona=p3) | connections | pages/s | p50 ms | p99 ms |",
      "|---|---|---|---|---|",
      row("Tessera direct (its page cache)", results.direct),
      row("through Varnish (hits)", results.edge),
      "",
      `Through Varnish: ${ratio.toFixed(2)} × Tessera direct (median of the rounds' ratios).`,
    ].join("\n"),
  );
} finally {
  await varnish?.stop();
  await tessera?.stop();
}
