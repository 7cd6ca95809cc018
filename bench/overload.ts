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
import { parseArgs } from "node:util";
import autocannon, { type Request } from "autocannon";
import { signToken } from "../compositor/gateway/auth.ts";
import { describeMachine } from "./machine.ts";
import { answersOf, overload, PAGE_PATH, percentile, share, type Tally } from "./overload-run.ts";
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

const USERS = 1000;
const secret = `bench-${randomUUID()}`;
const tokens = await Promise.all(
  Array.from({ length: USERS }, (_, i) => signToken(secret, { userId: `u${i + 1}`, persona: `p${(i + 1) % 8}` })),
);

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

function row(name: string, tally: Tally): string {
  const sorted = Float64Array.from(tally.pageLatencies).sort();
  const answers = answersOf(tally);
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
    PAGE_TOKEN_SECRET: `page-${secret}`,
    LOG_LEVEL: "info",
    GRPC_PORT: "0",
    RATE_LIMIT_MAX: "0",
    WIDGET_CACHE: "off",
    ADMISSION: admission,
  });
  try {
    await warmUp(server);
    console.error(`${name}: ${connections} connections, ${durationSeconds} s, signed-in, caches off`);
    rows.push(row(name, await overload({ url: server.url, pid: server.child.pid!, connections, durationSeconds, connectionRate, tokens })));
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
