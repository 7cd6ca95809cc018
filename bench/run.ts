/**
 * The benchmark: the compositor as it runs in production on the reference workload, against the
 * ceiling (the same fastify answering already-composed bytes) and a tuned GraphQL peer composing
 * the same page (bench/peer/), side by side in one run.
 *
 *   npm run bench                 full run (3 rounds of 10 s per scenario)
 *   npm run bench -- --quick      one round of 3 s, for a smoke test
 *   npm run bench -- --readme     also writes the table into bench/README.md
 *   npm run bench -- --profile    writes CPU profiles of the 0 ms compositors (caches on, caches off)
 *                                 and of the peer to bench/profiles/
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { signToken } from "../compositor/gateway/auth.ts";
import { addSample, emptySample, load, loadSample, summarizeSample, type LoadResult, type LoadSample } from "./load.ts";
import { describeMachine } from "./machine.ts";
import { ddsCallsPerPage } from "./metrics.ts";
import { pageDifferences, PEER_PATH, peerBody } from "./peer/same-page.ts";
import { startNode, type Running } from "./processes.ts";
import { renderReport, type Report } from "./report.ts";
import { ceilingEnv, median, pageBytes, sequentialPages, type FetchedPage, type PageRequest } from "./measures.ts";
import { memoryOf } from "./resources.ts";

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
/** The reference page for a client that derives deep links and image URLs (README.md, "Compact items"). */
const COMPACT_PAGE_PATH = "/v1/pages/home?platform=web&clientVersion=6.0.0";
const USERS = 1000;
const PERSONAS = 8;
const secret = `bench-${randomUUID()}`;
// RATE_LIMIT_MAX=0: the load generator is one client at one address, which rate limiting would refuse.
const productionEnv = {
  NODE_ENV: "production",
  JWT_SECRET: secret,
  PAGE_TOKEN_SECRET: `page-${secret}`,
  LOG_LEVEL: "info",
  GRPC_PORT: "0",
  RATE_LIMIT_MAX: "0",
};

const tokens = await Promise.all(
  Array.from({ length: USERS }, (_, i) => signToken(secret, { userId: `u${i + 1}`, persona: `p${(i + 1) % PERSONAS}` })),
);
const signedIn = (n: number) => ({ authorization: `Bearer ${tokens[n % USERS]}` });
const signedInPeer = (n: number) => ({ ...signedIn(n), "content-type": "application/json" });
/** Pages composed one after another at c=1 to measure a page's CPU. */
const SEQUENTIAL_PAGES = args.quick ? 100 : 1000;

const tesseraPage = (server: Running, headersFor?: (n: number) => Record<string, string>): PageRequest => ({
  server,
  path: PAGE_PATH,
  headersFor,
});
const peerPage = (server: Running): PageRequest => ({ server, path: PEER_PATH, headersFor: signedInPeer, method: "POST", body: peerBody });
const loadOf = (page: PageRequest) => ({
  url: page.server.url + page.path,
  headersFor: page.headersFor,
  method: page.method,
  body: page.body,
});

const running: Running[] = [];
async function start(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Running> {
  const server = await startNode(script, { ...productionEnv, ...env }, nodeArgs);
  running.push(server);
  return server;
}
process.once("SIGINT", () => void Promise.all(running.map((server) => server.stop())).then(() => process.exit(130)));

/** A load run, then the DDS calls per page of a sample of its pages. */
async function measure(page: PageRequest, connections: number) {
  const result = await load({ ...loadOf(page), connections, durationSeconds });
  if (result.non2xx > 0 || result.errors > 0) console.error(`  ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { ...result, ddsCallsPerPage: await callsPerPage(page) };
}

const callsPerPage = (page: PageRequest) =>
  ddsCallsPerPage(page.server.url + page.path, page.headersFor, 16, { method: page.method, body: page.body });

/**
 * JIT and caches warm, and every user's token seen once: a server in steady state has verified a
 * token it serves again (for 30 s), and the measured rounds should not pay 1,000 first verifications.
 */
async function warmUp(page: PageRequest) {
  await load({ ...loadOf(page), connections: 32, durationSeconds: 60, amount: USERS * 2 });
  await load({ ...loadOf(page), connections: 32, durationSeconds: warmupSeconds });
}

try {
  const profileDir = join(import.meta.dirname, "profiles");
  if (args.profile) mkdirSync(profileDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const profiled = (name: string) =>
    args.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${stamp}.cpuprofile`] : [];
  const fast = await start("compositor/main.ts", { DDS_LATENCY_MS: "0" }, profiled("caches-on"));
  const cold = await start("compositor/main.ts", { DDS_LATENCY_MS: "0", WIDGET_CACHE: "off" }, profiled("caches-off"));
  const peer = await start("bench/peer/mercurius-server.ts", { DDS_LATENCY_MS: "0" }, profiled("mercurius-peer"));
  // The peer must compose what Tessera composes, or the ratio compares different work.
  for (let n = 0; n < PERSONAS; n++) {
    const differences = await pageDifferences(cold.url, peer.url, signedIn(n * 101));
    if (differences.length > 0) throw new Error(`the peer's page differs from Tessera's:\n${differences.slice(0, 10).join("\n")}`);
  }

  // Page sizes over the personas; the first page's bytes and headers become the ceiling's answer.
  let protobufBytes = 0;
  let jsonBytes = 0;
  let compactProtobufBytes = 0;
  let compactJsonBytes = 0;
  let captured: FetchedPage | undefined;
  let coldDdsCalls = Number.NaN;
  for (let n = 0; n < PERSONAS; n++) {
    const proto = await pageBytes(fast.url, signedIn(n), PAGE_PATH);
    const json = await pageBytes(fast.url, { ...signedIn(n), accept: "application/json" }, PAGE_PATH);
    // The very first page of the server finds every cache empty: the wave scheduler's own figure.
    if (!captured) coldDdsCalls = Number(/dds;[^,]*desc="(\d+) calls"/.exec(proto.headers.get("server-timing") ?? "")?.[1]);
    captured ??= proto;
    protobufBytes += proto.bytes.length / PERSONAS;
    jsonBytes += json.bytes.length / PERSONAS;
    compactProtobufBytes += (await pageBytes(fast.url, signedIn(n), COMPACT_PAGE_PATH)).bytes.length / PERSONAS;
    compactJsonBytes +=
      (await pageBytes(fast.url, { ...signedIn(n), accept: "application/json" }, COMPACT_PAGE_PATH)).bytes.length / PERSONAS;
  }
  const anonymous = await pageBytes(fast.url, {}, PAGE_PATH);
  const ceiling = await start("bench/ceiling-server.ts", ceilingEnv(captured!, anonymous));

  const scenarios = {
    ceiling: tesseraPage(ceiling, signedIn),
    signedIn: tesseraPage(fast, signedIn),
    cachesOff: tesseraPage(cold, signedIn),
    peer: peerPage(peer),
    anonymousCeiling: tesseraPage(ceiling),
    anonymous: tesseraPage(fast),
  };
  type Name = keyof typeof scenarios;
  const names = Object.keys(scenarios) as Name[];
  const results = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<
    Name,
    Array<LoadResult & { ddsCallsPerPage: number }>
  >;
  for (const page of Object.values(scenarios)) await warmUp(page);
  // Each round interleaves the scenarios in slices of a few seconds, so that the machine's other
  // load falls on all of them alike; a round adds its slices up.
  const slices = Math.max(1, Math.round(durationSeconds / SLICE_SECONDS));
  for (let round = 1; round <= rounds; round++) {
    console.error(
      `round ${round}/${rounds}: ${names.join(", ")} interleaved, DDS 0 ms, 32 connections, ${slices} × ${durationSeconds / slices} s each`,
    );
    const samples = Object.fromEntries(names.map((name) => [name, emptySample()])) as Record<Name, LoadSample>;
    for (let slice = 0; slice < slices; slice++) {
      for (const name of names) {
        addSample(
          samples[name],
          await loadSample({ ...loadOf(scenarios[name]), connections: 32, durationSeconds: durationSeconds / slices }),
        );
      }
    }
    for (const name of names) {
      const result = summarizeSample(samples[name]);
      if (result.non2xx > 0 || result.errors > 0) console.error(`  ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const ddsCalls = scenarios[name].server === ceiling ? Number.NaN : await callsPerPage(scenarios[name]);
      results[name].push({ ...result, ddsCallsPerPage: ddsCalls });
    }
  }
  // Memory right after the same load; then a page's CPU, one page at a time.
  const memory = {
    ceiling: memoryOf(ceiling.child.pid!),
    cachesOn: memoryOf(fast.child.pid!),
    cachesOff: memoryOf(cold.child.pid!),
    peer: memoryOf(peer.child.pid!),
  };
  console.error(`c=1: ${SEQUENTIAL_PAGES} signed-in pages one after another, per server`);
  const sequential = {
    // The ceiling replays a composed page's headers: its Server-Timing is not its own.
    ceiling: await sequentialPages(scenarios.ceiling, SEQUENTIAL_PAGES, false),
    cachesOn: await sequentialPages(scenarios.signedIn, SEQUENTIAL_PAGES),
    cachesOff: await sequentialPages(scenarios.cachesOff, SEQUENTIAL_PAGES),
    peer: await sequentialPages(scenarios.peer, SEQUENTIAL_PAGES),
  };
  for (const server of [fast, ceiling, cold, peer]) await server.stop();

  const slow = await start("compositor/main.ts", { DDS_LATENCY_MS: "5" });
  await warmUp(tesseraPage(slow, signedIn));
  console.error(`signed-in, DDS 5 ms, 32 connections, ${durationSeconds} s`);
  const slow32 = await measure(tesseraPage(slow, signedIn), 32);
  console.error(`signed-in, DDS 5 ms, 1 connection, ${durationSeconds} s`);
  const slow1 = await measure(tesseraPage(slow, signedIn), 1);
  await slow.stop();

  const summarize = (runs: Array<LoadResult & { ddsCallsPerPage: number }>) => ({
    pagesPerSecond: median(runs.map((r) => r.pagesPerSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    ddsCallsPerPage: median(runs.map((r) => r.ddsCallsPerPage)),
  });
  const ratio = (name: Name, of: Name) => median(results[name].map((run, i) => run.pagesPerSecond / results[of][i]!.pagesPerSecond));
  const report: Report = {
    machine: describeMachine(),
    durationSeconds,
    rounds,
    ceiling: summarize(results.ceiling),
    signedIn: { ...summarize(results.signedIn), ofCeiling: ratio("signedIn", "ceiling") },
    anonymousCeiling: summarize(results.anonymousCeiling),
    anonymous: { ...summarize(results.anonymous), ofCeiling: ratio("anonymous", "anonymousCeiling") },
    cachesOff: { ...summarize(results.cachesOff), ofCeiling: ratio("cachesOff", "ceiling") },
    peer: { ...summarize(results.peer), ofCeiling: ratio("peer", "ceiling") },
    cachesOffOfPeer: ratio("cachesOff", "peer"),
    memory,
    sequentialPages: SEQUENTIAL_PAGES,
    sequential,
    slow32: summarize([slow32]),
    slow1: summarize([slow1]),
    protobufBytes,
    jsonBytes,
    compactProtobufBytes,
    compactJsonBytes,
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
} catch (error) {
  // A server that died says why on its stderr.
  for (const server of running) {
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null) console.error(`${server.url} exited (${exitCode ?? signalCode}): ${server.stderr()}`);
  }
  throw error;
} finally {
  await Promise.all(running.map((server) => server.stop()));
}
