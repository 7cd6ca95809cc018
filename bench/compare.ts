/**
 * Before and after in one run: the compositor of this checkout against the one of a git ref, both
 * running at once as in production, measured in interleaved slices so the machine's other load
 * falls on both alike. Each side also gets its own ceiling (this checkout's bench/ceiling-server.ts
 * answering that side's page bytes), so that when the page itself changed between the two, "of
 * ceiling" still says what composing it costs; and each server's CPU time per page under the load.
 *
 *   npm run bench:compare -- <ref>                    e.g. main~3, a commit or a tag
 *   npm run bench:compare -- <ref> --rounds 5 --duration 10
 *   npm run bench:compare -- <ref> --client-version 6.0.0   the page of another client version
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
import { ceilingEnv, median, pageBytes } from "./measures.ts";
import { cpuMsOf } from "./resources.ts";
import { ROOT, startNode, type Running } from "./processes.ts";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "6" },
    "client-version": { type: "string", default: "5.0.0" },
  },
});
const ref = positionals[0];
if (!ref) {
  console.error("usage: npm run bench:compare -- <git ref> [--rounds N] [--duration S] [--client-version V]");
  process.exit(2);
}
const rounds = Number(args.rounds);
const durationSeconds = Number(args.duration);
const SLICE_SECONDS = 2;
const PAGE_PATH = `/v1/pages/home?platform=web&clientVersion=${encodeURIComponent(args["client-version"])}`;
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

type Side = "before" | "after";
const SIDES: readonly Side[] = ["before", "after"];
const warm = (server: Running, headersFor?: typeof signedIn) =>
  load({ url: server.url + PAGE_PATH, connections: 32, durationSeconds: 60, amount: USERS * 2, headersFor });

const before = checkout(ref);
const running: Running[] = [];
try {
  const roots: Record<Side, string> = { before: before.root, after: ROOT };
  const start = async (side: Side, env: Record<string, string>) => {
    const server = await startNode("compositor/main.ts", { ...productionEnv, ...env }, [], { root: roots[side] });
    running.push(server);
    return server;
  };
  const servers = {} as Record<Side, { cachesOn: Running; anonymous: Running; cachesOff: Running; ceiling: Running }>;
  const bytes = {} as Record<Side, { signedIn: number; anonymous: number }>;
  for (const side of SIDES) {
    const cachesOn = await start(side, {});
    const anonymous = await start(side, {});
    const cachesOff = await start(side, { WIDGET_CACHE: "off" });
    await warm(cachesOn, signedIn);
    await warm(anonymous);
    await warm(cachesOff, signedIn);
    const signedInPage = await pageBytes(cachesOn.url, signedIn(0), PAGE_PATH);
    const anonymousPage = await pageBytes(anonymous.url, {}, PAGE_PATH);
    bytes[side] = { signedIn: signedInPage.bytes.length, anonymous: anonymousPage.bytes.length };
    const ceiling = await startNode("bench/ceiling-server.ts", { LOG_LEVEL: "info", ...ceilingEnv(signedInPage, anonymousPage) });
    running.push(ceiling);
    servers[side] = { cachesOn, anonymous, cachesOff, ceiling };
  }

  const scenarios = [
    { name: "ceiling: its signed-in page's bytes", server: "ceiling", headersFor: signedIn },
    { name: "signed-in, caches on", server: "cachesOn", headersFor: signedIn, of: 0 },
    { name: "signed-in, WIDGET_CACHE=off", server: "cachesOff", headersFor: signedIn, of: 0 },
    { name: "ceiling: its anonymous page's bytes", server: "ceiling", headersFor: undefined },
    { name: "anonymous, caches on", server: "anonymous", headersFor: undefined, of: 3 },
  ] as const;
  const pages = scenarios.map(() => ({ before: [] as number[], after: [] as number[] }));
  const refused = scenarios.map(() => ({ before: 0, after: 0 }));
  /** The server process's CPU time (user and system) per page answered, ms, per round. */
  const cpu = scenarios.map(() => ({ before: [] as number[], after: [] as number[] }));
  const slices = Math.max(1, Math.round(durationSeconds / SLICE_SECONDS));
  for (let round = 1; round <= rounds; round++) {
    console.error(`round ${round}/${rounds}`);
    for (const [i, scenario] of scenarios.entries()) {
      const samples: Record<Side, LoadSample> = { before: emptySample(), after: emptySample() };
      const cpuMs: Record<Side, number> = { before: 0, after: 0 };
      for (let slice = 0; slice < slices; slice++) {
        for (const side of SIDES) {
          const server = servers[side][scenario.server];
          const cpuBefore = cpuMsOf(server.child.pid!);
          addSample(
            samples[side],
            await loadSample({
              url: server.url + PAGE_PATH,
              connections: 32,
              durationSeconds: durationSeconds / slices,
              headersFor: scenario.headersFor,
            }),
          );
          cpuMs[side] += cpuMsOf(server.child.pid!) - cpuBefore;
        }
      }
      for (const side of SIDES) {
        const result = summarizeSample(samples[side]);
        refused[i]![side] += result.non2xx;
        pages[i]![side].push(result.pagesPerSecond);
        cpu[i]![side].push(cpuMs[side] / (result.ok + result.non2xx));
      }
    }
  }

  const ratioOf = (values: Record<Side, number[]>) => median(values.after.map((after, i) => after / values.before[i]!));
  const share = (i: number, of: number | undefined, side: Side) =>
    of === undefined ? "–" : `${Math.round(100 * median(pages[i]![side].map((p, round) => p / pages[of]![side][round]!)))} %`;
  console.log(
    `${describeMachine()}. ${PAGE_PATH}: ${rounds} round(s) of ${durationSeconds} s per side per scenario, 32 connections, DDS 0 ms; medians.\n`,
  );
  console.log(
    `| scenario | before (${ref}) pages/s | after pages/s | after ÷ before | of ceiling before / after | server CPU ms/page before / after (÷) | non-2xx before / after |`,
  );
  console.log("|---|---|---|---|---|---|---|");
  scenarios.forEach((scenario, i) => {
    const of = "of" in scenario ? scenario.of : undefined;
    console.log(
      `| ${scenario.name} | ${Math.round(median(pages[i]!.before))} | ${Math.round(median(pages[i]!.after))} | ${ratioOf(pages[i]!).toFixed(2)} | ${share(i, of, "before")} / ${share(i, of, "after")} | ${median(cpu[i]!.before).toFixed(3)} / ${median(cpu[i]!.after).toFixed(3)} (${ratioOf(cpu[i]!).toFixed(2)}) | ${refused[i]!.before} / ${refused[i]!.after} |`,
    );
  });
  console.log(
    `\nPage bytes (protobuf): signed-in ${bytes.before.signedIn} before, ${bytes.after.signedIn} after; anonymous ${bytes.before.anonymous} before, ${bytes.after.anonymous} after.`,
  );
} finally {
  await Promise.all(running.map((server) => server.stop()));
  before.remove();
}
