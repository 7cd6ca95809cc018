/**
 * The benchmark: the compositor as it runs in production on the reference workload, against the
 * ceiling (the same fastify answering already-composed bytes), side by side in one run.
 *
 *   npm run bench                 full run (3 rounds of 10 s per scenario)
 *   npm run bench -- --quick      one round of 3 s, for a smoke test
 *   npm run bench -- --readme     also writes the table into bench/README.md
 *   npm run bench -- --profile    writes a CPU profile of the 0 ms compositor to bench/profiles/
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { signToken } from "../compositor/gateway/auth.ts";
import { addSample, emptySample, load, loadSample, summarizeSample, type LoadResult, type LoadSample } from "./load.ts";
import { describeMachine } from "./machine.ts";
import { ddsCallsPerPage } from "./metrics.ts";
import { startNode, type Running } from "./processes.ts";
import { renderReport, type Report } from "./report.ts";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    readme: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    duration: { type: "string" },
    rounds: { type: "string" },
  },
});
const durationSeconds = Number(args.duration ?? (args.quick ? 3 : 10));
const rounds = Number(args.rounds ?? (args.quick ? 1 : 3));
const warmupSeconds = args.quick ? 1 : 3;
const SLICE_SECONDS = args.quick ? 1 : 2;

const PAGE_PATH = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const USERS = 1000;
const PERSONAS = 8;
const secret = `bench-${randomUUID()}`;
// RATE_LIMIT_MAX=0: the load generator is one client at one address, which rate limiting would refuse.
const productionEnv = { NODE_ENV: "production", JWT_SECRET: secret, LOG_LEVEL: "info", GRPC_PORT: "0", RATE_LIMIT_MAX: "0" };

const tokens = await Promise.all(
  Array.from({ length: USERS }, (_, i) => signToken(secret, { userId: `u${i + 1}`, persona: `p${(i + 1) % PERSONAS}` })),
);
const signedIn = (n: number) => ({ authorization: `Bearer ${tokens[n % USERS]}` });

const running: Running[] = [];
async function start(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Running> {
  const server = await startNode(script, { ...productionEnv, ...env }, nodeArgs);
  running.push(server);
  return server;
}
process.once("SIGINT", () => void Promise.all(running.map((server) => server.stop())).then(() => process.exit(130)));

async function pageBytes(url: string, headers: Record<string, string>): Promise<{ bytes: Buffer; headers: Headers }> {
  const response = await fetch(url + PAGE_PATH, { headers });
  if (!response.ok) throw new Error(`GET ${PAGE_PATH}: ${response.status} ${await response.text()}`);
  return { bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

/** A load run, then the DDS calls per page of a sample of its pages. */
async function measure(server: Running, connections: number, headersFor?: (n: number) => Record<string, string>) {
  const result = await load({ url: server.url + PAGE_PATH, connections, durationSeconds, headersFor });
  if (result.non2xx > 0 || result.errors > 0) console.error(`  ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { ...result, ddsCallsPerPage: await ddsCallsPerPage(server.url + PAGE_PATH, headersFor) };
}

/**
 * JIT and caches warm, and every user's token seen once: a server in steady state has verified a
 * token it serves again (for 30 s), and the measured rounds should not pay 1,000 first verifications.
 */
async function warmUp(server: Running, headersFor?: (n: number) => Record<string, string>) {
  await load({ url: server.url + PAGE_PATH, connections: 32, durationSeconds: 60, amount: USERS * 2, headersFor });
  await load({ url: server.url + PAGE_PATH, connections: 32, durationSeconds: warmupSeconds, headersFor });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

try {
  const profileDir = join(import.meta.dirname, "profiles");
  if (args.profile) mkdirSync(profileDir, { recursive: true });
  const fast = await start(
    "compositor/main.ts",
    { DDS_LATENCY_MS: "0" },
    args.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
  );

  // Page sizes over the personas; the first page's bytes and headers become the ceiling's answer.
  let protobufBytes = 0;
  let jsonBytes = 0;
  let captured: Awaited<ReturnType<typeof pageBytes>> | undefined;
  let coldDdsCalls = Number.NaN;
  for (let n = 0; n < PERSONAS; n++) {
    const proto = await pageBytes(fast.url, signedIn(n));
    const json = await pageBytes(fast.url, { ...signedIn(n), accept: "application/json" });
    // The very first page of the server finds every cache empty: the wave scheduler's own figure.
    if (!captured) coldDdsCalls = Number(/dds;[^,]*desc="(\d+) calls"/.exec(proto.headers.get("server-timing") ?? "")?.[1]);
    captured ??= proto;
    protobufBytes += proto.bytes.length / PERSONAS;
    jsonBytes += json.bytes.length / PERSONAS;
  }
  const anonymous = await pageBytes(fast.url, {});
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-"));
  const capture = (name: string, page: Awaited<ReturnType<typeof pageBytes>>) => {
    writeFileSync(join(dir, name), page.bytes);
    const headers: Record<string, string> = {};
    for (const header of ["server-timing", "vary", "cache-control", "etag"]) {
      const value = page.headers.get(header);
      if (value) headers[header] = value;
    }
    return { file: join(dir, name), headers: JSON.stringify(headers) };
  };
  const signedInPage = capture("signed-in.bin", captured!);
  const anonymousPage = capture("anonymous.bin", anonymous);
  const ceiling = await start("bench/ceiling-server.ts", {
    CEILING_PAGE: signedInPage.file,
    CEILING_HEADERS: signedInPage.headers,
    CEILING_ANONYMOUS_PAGE: anonymousPage.file,
    CEILING_ANONYMOUS_HEADERS: anonymousPage.headers,
  });

  const scenarios = {
    ceiling: { server: ceiling, headersFor: signedIn },
    signedIn: { server: fast, headersFor: signedIn },
    anonymousCeiling: { server: ceiling, headersFor: undefined },
    anonymous: { server: fast, headersFor: undefined },
  };
  type Name = keyof typeof scenarios;
  const results: Record<Name, Array<LoadResult & { ddsCallsPerPage: number }>> = {
    ceiling: [],
    signedIn: [],
    anonymousCeiling: [],
    anonymous: [],
  };
  for (const { server, headersFor } of Object.values(scenarios)) await warmUp(server, headersFor);
  // Each round interleaves the scenarios in slices of a few seconds, so that the machine's other
  // load falls on all of them alike; a round adds its slices up.
  const slices = Math.max(1, Math.round(durationSeconds / SLICE_SECONDS));
  for (let round = 1; round <= rounds; round++) {
    console.error(
      `round ${round}/${rounds}: ceilings, signed-in, anonymous interleaved, DDS 0 ms, 32 connections, ${slices} × ${durationSeconds / slices} s each`,
    );
    const samples: Record<Name, LoadSample> = {
      ceiling: emptySample(),
      signedIn: emptySample(),
      anonymousCeiling: emptySample(),
      anonymous: emptySample(),
    };
    for (let slice = 0; slice < slices; slice++) {
      for (const [name, { server, headersFor }] of Object.entries(scenarios) as Array<[Name, (typeof scenarios)[Name]]>) {
        addSample(
          samples[name],
          await loadSample({ url: server.url + PAGE_PATH, connections: 32, durationSeconds: durationSeconds / slices, headersFor }),
        );
      }
    }
    for (const [name, { server, headersFor }] of Object.entries(scenarios) as Array<[Name, (typeof scenarios)[Name]]>) {
      const result = summarizeSample(samples[name]);
      if (result.non2xx > 0 || result.errors > 0) console.error(`  ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const ddsCalls = server === ceiling ? Number.NaN : await ddsCallsPerPage(server.url + PAGE_PATH, headersFor);
      results[name].push({ ...result, ddsCallsPerPage: ddsCalls });
    }
  }
  await fast.stop();
  await ceiling.stop();

  const slow = await start("compositor/main.ts", { DDS_LATENCY_MS: "5" });
  await warmUp(slow, signedIn);
  console.error(`signed-in, DDS 5 ms, 32 connections, ${durationSeconds} s`);
  const slow32 = await measure(slow, 32, signedIn);
  console.error(`signed-in, DDS 5 ms, 1 connection, ${durationSeconds} s`);
  const slow1 = await measure(slow, 1, signedIn);
  await slow.stop();

  const summarize = (runs: Array<LoadResult & { ddsCallsPerPage: number }>) => ({
    pagesPerSecond: median(runs.map((r) => r.pagesPerSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    ddsCallsPerPage: median(runs.map((r) => r.ddsCallsPerPage)),
  });
  const ratio = (name: "signedIn" | "anonymous", of: "ceiling" | "anonymousCeiling") =>
    median(results[name].map((run, i) => run.pagesPerSecond / results[of][i]!.pagesPerSecond));
  const report: Report = {
    machine: describeMachine(),
    durationSeconds,
    rounds,
    ceiling: summarize(results.ceiling),
    signedIn: { ...summarize(results.signedIn), ofCeiling: ratio("signedIn", "ceiling") },
    anonymousCeiling: summarize(results.anonymousCeiling),
    anonymous: { ...summarize(results.anonymous), ofCeiling: ratio("anonymous", "anonymousCeiling") },
    slow32: summarize([slow32]),
    slow1: summarize([slow1]),
    protobufBytes,
    jsonBytes,
    coldDdsCalls,
  };
  const table = renderReport(report);
  console.log(table);
  if (args.readme) {
    const readme = join(import.meta.dirname, "README.md");
    const text = readFileSync(readme, "utf8");
    const start = "<!-- bench:start -->";
    const end = "<!-- bench:end -->";
    writeFileSync(readme, text.slice(0, text.indexOf(start) + start.length) + "\n" + table + "\n" + text.slice(text.indexOf(end)));
  }
} finally {
  await Promise.all(running.map((server) => server.stop()));
}
