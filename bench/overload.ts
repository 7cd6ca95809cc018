/**
 * Overload: the signed-in reference page with every cache off, from 512 connections at once, with
 * admission control off and then on, in one run. For each: pages/s, the share of pages that came
 * back whole (all 14 widgets), p50/p99/max of the pages, the share of 503 `overloaded` answers (and
 * whether each had Retry-After), other answers, and the server's peak RSS.
 *
 *   npm run bench:overload                     20 s per side
 *   npm run bench:overload -- --duration 10 --connections 256
 *   npm run bench:overload -- --rate 4         each connection asks 4 times a second at most
 *
 * Pages are asked for as JSON (Accept: application/json) so that the load generator can count
 * their widgets; JSON costs the server a little more than protobuf.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon, { type Request } from "autocannon";
import { signToken } from "../compositor/gateway/auth.ts";
import { describeMachine } from "./machine.ts";
import { startNode, type Running } from "./processes.ts";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "20" },
    connections: { type: "string", default: "512" },
    rate: { type: "string" },
  },
});
const durationSeconds = Number(args.duration);
const connections = Number(args.connections);
/** Requests per second per connection; without it each connection asks again as soon as it is answered. */
const connectionRate = args.rate === undefined ? undefined : Number(args.rate);

const PAGE_PATH = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const FULL_PAGE_WIDGETS = 14;
const USERS = 1000;
const secret = `bench-${randomUUID()}`;
const tokens = await Promise.all(
  Array.from({ length: USERS }, (_, i) => signToken(secret, { userId: `u${i + 1}`, persona: `p${(i + 1) % 8}` })),
);

interface Tally {
  pages: number;
  fullPages: number;
  pageLatencies: number[];
  overloaded: number;
  overloadedWithRetryAfter: number;
  other: Map<number, number>;
  errors: number;
  seconds: number;
  peakRssMb: number;
}

/** Resident set of a process now, and its peak since it started (VmHWM), in MB. */
function rssOf(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { now: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

async function overload(server: Running): Promise<Tally> {
  const tally: Tally = {
    pages: 0,
    fullPages: 0,
    pageLatencies: [],
    overloaded: 0,
    overloadedWithRetryAfter: 0,
    other: new Map(),
    errors: 0,
    seconds: 0,
    peakRssMb: 0,
  };
  let n = 0;
  const instance = autocannon({
    url: server.url + PAGE_PATH,
    connections,
    connectionRate,
    duration: durationSeconds,
    requests: [
      {
        setupRequest: (request: Request) => ({
          ...request,
          headers: { ...request.headers, accept: "application/json", authorization: `Bearer ${tokens[n++ % USERS]}` },
        }),
        onResponse: (status, body, _context, headers) => {
          if (status === 200) {
            tally.pages++;
            if ((JSON.parse(body) as { widgets?: unknown[] }).widgets?.length === FULL_PAGE_WIDGETS) tally.fullPages++;
          } else if (status === 503 && body.includes('"overloaded"')) {
            tally.overloaded++;
            if (headers["retry-after"] !== undefined) tally.overloadedWithRetryAfter++;
          } else {
            tally.other.set(status, (tally.other.get(status) ?? 0) + 1);
          }
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status === 200) tally.pageLatencies.push(responseTime);
  });
  const rss = setInterval(() => (tally.peakRssMb = Math.max(tally.peakRssMb, rssOf(server.child.pid!).now)), 100);
  const result = await instance;
  clearInterval(rss);
  tally.errors = result.errors;
  tally.seconds = result.duration;
  tally.peakRssMb = Math.max(tally.peakRssMb, rssOf(server.child.pid!).peak);
  return tally;
}

async function warmUp(server: Running): Promise<void> {
  let n = 0;
  await autocannon({
    url: server.url + PAGE_PATH,
    connections: 8,
    duration: 3,
    requests: [
      {
        setupRequest: (request: Request) => ({
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${tokens[n++ % USERS]}` },
        }),
      },
    ],
  });
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function row(name: string, tally: Tally): string {
  const sorted = Float64Array.from(tally.pageLatencies).sort();
  const answers = tally.pages + tally.overloaded + [...tally.other.values()].reduce((a, b) => a + b, 0);
  const share = (count: number, of: number) => (of === 0 ? "–" : `${((100 * count) / of).toFixed(1)} %`);
  const other = [...tally.other].map(([status, count]) => `${count} × ${status}`).join(", ") || "none";
  return `| ${name} | ${(tally.pages / tally.seconds).toFixed(0)} | ${share(tally.fullPages, tally.pages)} | ${percentile(sorted, 50).toFixed(0)} | ${percentile(sorted, 99).toFixed(0)} | ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} | ${share(tally.overloaded, answers)} (${tally.overloadedWithRetryAfter === tally.overloaded ? "all" : tally.overloadedWithRetryAfter} with Retry-After) | ${other}; ${tally.errors} socket errors | ${tally.peakRssMb.toFixed(0)} |`;
}

const sides = { "admission off": "off", "admission on": "on" } as const;
const rows: string[] = [];
for (const [name, admission] of Object.entries(sides)) {
  // RATE_LIMIT_MAX=0: the load generator is one client at one address, which rate limiting would refuse.
  const server = await startNode("compositor/main.ts", {
    NODE_ENV: "production",
    JWT_SECRET: secret,
    LOG_LEVEL: "info",
    GRPC_PORT: "0",
    RATE_LIMIT_MAX: "0",
    WIDGET_CACHE: "off",
    ADMISSION: admission,
  });
  try {
    await warmUp(server);
    console.error(`${name}: ${connections} connections, ${durationSeconds} s, signed-in, caches off`);
    rows.push(row(name, await overload(server)));
  } finally {
    await server.stop();
  }
}
console.log(
  `Machine: ${describeMachine()}. ${connections} connections${connectionRate ? ` at ${connectionRate} requests/s each` : ""}, ${durationSeconds} s per side, signed-in (u1..u1000), WIDGET_CACHE=off, DDS 0 ms.\n`,
);
console.log("| side | pages/s | whole pages | p50 ms | p99 ms | max ms | 503 overloaded | other answers | peak RSS MB |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const line of rows) console.log(line);
