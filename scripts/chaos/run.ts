/**
 * `npm run chaos`: each fault under signed-in load on real processes (stack.ts), one after the
 * other, and what clients got: requests, 5xx, p99 while it lasted, seconds to recover.
 *
 *   npm run chaos                    every fault, the table on stdout (a few minutes)
 *   npm run chaos -- dds-stall fuzz  the faults named
 *   npm run chaos -- --readme        every fault; the table also into docs/reliability.md
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { describeMachine } from "../../bench/machine.ts";
import { ROOT } from "../../bench/processes.ts";
import { buildDashboard } from "../../dashboard/build.ts";
import { DASHBOARD_DIST } from "../../dashboard/paths.ts";
import type { Fault, Measured } from "./fault.ts";
import { baseline } from "./faults/baseline.ts";
import { ddsKill } from "./faults/dds-kill.ts";
import { ddsSlow } from "./faults/dds-slow.ts";
import { ddsStall } from "./faults/dds-stall.ts";
import { flood } from "./faults/flood.ts";
import { fuzz } from "./faults/fuzz.ts";
import { gzipBody } from "./faults/gzip-body.ts";
import { redisFlush } from "./faults/redis-flush.ts";
import { redisKill } from "./faults/redis-kill.ts";
import { untilRecovered } from "./probe.ts";
import { startStack } from "./stack.ts";
import { CLIENTS, startTraffic } from "./traffic.ts";

const FAULTS: readonly Fault[] = [baseline, ddsStall, ddsKill, ddsSlow, redisKill, redisFlush, flood, fuzz, gzipBody];
const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { readme: { type: "boolean", default: false } } });
const unknown = positionals.filter((name) => !FAULTS.some((fault) => fault.name === name));
if (unknown.length > 0) {
  console.error(`no such fault: ${unknown.join(", ")}; the faults: ${FAULTS.map((fault) => fault.name).join(", ")}`);
  process.exit(2);
}
if (args.readme && positionals.length > 0) {
  console.error("--readme writes the table of one run of every fault: name no fault with it");
  process.exit(2);
}
const chosen = positionals.length > 0 ? FAULTS.filter((fault) => positionals.includes(fault.name)) : FAULTS;

function render(rows: Array<{ fault: Fault; measured: Measured }>, loadAtStart: number): string {
  const lines = [
    `Machine: ${describeMachine()}. One run of \`npm run chaos\`; clients: ${CLIENTS.connections} connections × ${CLIENTS.rate} requests/s at most, signed in (u1..u1000), home page as JSON; the compositor's defaults (admission control on). Load average (1 min) at the start ${loadAtStart.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)}.`,
    "",
    "| fault | requests | 5xx or no answer | p99 of pages while it lasted | recovered in | what clients got |",
    "|---|---|---|---|---|---|",
  ];
  for (const { fault, measured } of rows) {
    lines.push(
      `| ${fault.title} | ${measured.requests} | ${measured.failed} | ${measured.p99Ms.toFixed(0)} ms | ${measured.recoveredSeconds.toFixed(2)} s | ${measured.clientGets} |`,
    );
  }
  return lines.join("\n");
}

function writeReadme(table: string): void {
  const file = join(ROOT, "docs/reliability.md");
  const text = readFileSync(file, "utf8");
  const start = "<!-- chaos:start -->";
  const end = "<!-- chaos:end -->";
  if (!text.includes(start) || !text.includes(end)) throw new Error(`docs/reliability.md has no ${start} … ${end} markers`);
  writeFileSync(file, text.slice(0, text.indexOf(start) + start.length) + "\n" + table + "\n" + text.slice(text.indexOf(end)));
}

// The fuzz run asks for the dashboard's files too.
if (chosen.includes(fuzz) && !existsSync(join(DASHBOARD_DIST, "index.html"))) await buildDashboard();
const loadAtStart = loadavg()[0]!;
const stack = await startStack();
process.once("SIGINT", () => void stack.stop().then(() => process.exit(130)));
try {
  await untilRecovered(stack.compositor.url, stack.tokens.slice(0, 4));
  // Every user composed once and every token verified once: the caches hold what a fault then serves stale.
  const warmUp = startTraffic(stack.compositor.url, stack.tokens);
  await new Promise((resolve) => setTimeout(resolve, 8_000));
  await warmUp.stop();
  await untilRecovered(stack.compositor.url, stack.tokens.slice(0, 4));
  const rows: Array<{ fault: Fault; measured: Measured }> = [];
  for (const fault of chosen) {
    console.error(`${fault.name}: ${fault.title}`);
    const measured = await fault.run(stack);
    console.error(
      `  ${measured.requests} requests, ${measured.failed} 5xx or no answer, recovered in ${measured.recoveredSeconds.toFixed(2)} s`,
    );
    rows.push({ fault, measured });
    await untilRecovered(stack.compositor.url, stack.tokens.slice(0, 4));
  }
  const table = render(rows, loadAtStart);
  console.log(table);
  if (args.readme) writeReadme(table);
} finally {
  await stack.stop();
}
