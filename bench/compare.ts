/**
 * Before and after in one run: the compositor of this checkout against the one of a git ref, both
 * running at once as in production, measured in interleaved slices so the machine's other load
 * falls on both alike.
 *
 *   npm run bench:compare -- <ref>                    e.g. main~3, a commit or a tag
 *   npm run bench:compare -- <ref> --rounds 5 --duration 10
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { signToken } from "../compositor/gateway/auth.ts";
import { emptySample, addSample, load, loadSample, summarizeSample, type LoadSample } from "./load.ts";
import { describeMachine } from "./machine.ts";
import { ROOT, startNode, type Running } from "./processes.ts";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: "string", default: "3" }, duration: { type: "string", default: "6" } },
});
const ref = positionals[0];
if (!ref) {
  console.error("usage: npm run bench:compare -- <git ref> [--rounds N] [--duration S]");
  process.exit(2);
}
const rounds = Number(args.rounds);
const durationSeconds = Number(args.duration);
const SLICE_SECONDS = 2;
const PAGE_PATH = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const USERS = 1000;
const secret = `bench-${randomUUID()}`;
const productionEnv = {
  NODE_ENV: "production",
  JWT_SECRET: secret,
  PAGE_TOKEN_SECRET: `page-${secret}`,
  LOG_LEVEL: "info",
  GRPC_PORT: "0",
  RATE_LIMIT_MAX: "0",
  DDS_LATENCY_MS: "0",
};
const tokens = await Promise.all(
  Array.from({ length: USERS }, (_, i) => signToken(secret, { userId: `u${i + 1}`, persona: `p${(i + 1) % 8}` })),
);
const signedIn = (n: number) => ({ authorization: `Bearer ${tokens[n % USERS]}` });

/** A checkout of `ref` beside this one, sharing node_modules when the lockfiles agree. */
function checkout(gitRef: string): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), "tessera-before-"));
  execFileSync("git", ["-C", ROOT, "worktree", "add", "--detach", "--force", root, gitRef], { stdio: "ignore" });
  const lock = (dir: string) => (existsSync(join(dir, "package-lock.json")) ? readFileSync(join(dir, "package-lock.json"), "utf8") : "");
  if (lock(root) === lock(ROOT)) symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  else execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "ignore" });
  execFileSync("npm", ["run", "-s", "build:dashboard"], { cwd: root, stdio: "ignore" });
  return {
    root,
    remove: () => {
      execFileSync("git", ["-C", ROOT, "worktree", "remove", "--force", root], { stdio: "ignore" });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const before = checkout(ref);
const running: Running[] = [];
try {
  const scenarios = [
    { name: "signed-in, caches on", env: {} as Record<string, string>, headersFor: signedIn },
    { name: "anonymous, caches on", env: {}, headersFor: undefined },
    { name: "signed-in, WIDGET_CACHE=off", env: { WIDGET_CACHE: "off" }, headersFor: signedIn },
  ];
  const servers = [];
  for (const scenario of scenarios) {
    const after = await startNode("compositor/main.ts", { ...productionEnv, ...scenario.env });
    const old = await startNode("compositor/main.ts", { ...productionEnv, ...scenario.env }, [], { root: before.root });
    running.push(after, old);
    for (const server of [old, after]) {
      await load({ url: server.url + PAGE_PATH, connections: 32, durationSeconds: 60, amount: USERS * 2, headersFor: scenario.headersFor });
    }
    servers.push({ ...scenario, before: old, after });
  }
  const ratios = servers.map(() => [] as number[]);
  const pages = servers.map(() => ({ before: [] as number[], after: [] as number[] }));
  const refused = servers.map(() => ({ before: 0, after: 0 }));
  const slices = Math.max(1, Math.round(durationSeconds / SLICE_SECONDS));
  for (let round = 1; round <= rounds; round++) {
    console.error(`round ${round}/${rounds}`);
    for (const [i, scenario] of servers.entries()) {
      const samples: Record<"before" | "after", LoadSample> = { before: emptySample(), after: emptySample() };
      for (let slice = 0; slice < slices; slice++) {
        for (const side of ["before", "after"] as const) {
          const url = scenario[side].url + PAGE_PATH;
          addSample(
            samples[side],
            await loadSample({ url, connections: 32, durationSeconds: durationSeconds / slices, headersFor: scenario.headersFor }),
          );
        }
      }
      const result = { before: summarizeSample(samples.before), after: summarizeSample(samples.after) };
      refused[i]!.before += result.before.non2xx;
      refused[i]!.after += result.after.non2xx;
      pages[i]!.before.push(result.before.pagesPerSecond);
      pages[i]!.after.push(result.after.pagesPerSecond);
      ratios[i]!.push(result.after.pagesPerSecond / result.before.pagesPerSecond);
    }
  }
  const machine = describeMachine();
  console.log(`${machine}. ${rounds} round(s) of ${durationSeconds} s per side per scenario, 32 connections, DDS 0 ms; medians.\n`);
  console.log(`| scenario | before (${ref}) pages/s | after pages/s | after ÷ before | non-2xx before / after |`);
  console.log("|---|---|---|---|---|");
  servers.forEach((scenario, i) => {
    console.log(
      `| ${scenario.name} | ${Math.round(median(pages[i]!.before))} | ${Math.round(median(pages[i]!.after))} | ${median(ratios[i]!).toFixed(2)} | ${refused[i]!.before} / ${refused[i]!.after} |`,
    );
  });
} finally {
  await Promise.all(running.map((server) => server.stop()));
  before.remove();
}
