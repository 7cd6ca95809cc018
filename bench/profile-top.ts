/**
 * `node bench/profile-top.ts <file.cpuprofile> [n] [--by-file]`: the functions (or files, or
 * packages) with the most self time, as shares of the time the process was busy (not idle).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = `file://${join(import.meta.dirname, "..")}/`;
const byFile = process.argv.includes("--by-file");
const [file, count = "30"] = process.argv.slice(2).filter((arg) => arg !== "--by-file");
if (!file) throw new Error("usage: node bench/profile-top.ts <file.cpuprofile> [n] [--by-file]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

/** A frame's place: a package's file as "package/path", a file of this repository by its path. */
function where(url: string): string {
  const inPackage = url.lastIndexOf("node_modules/");
  if (inPackage >= 0) return url.slice(inPackage + "node_modules/".length);
  return url.startsWith(ROOT) ? url.slice(ROOT.length) : url;
}
const packageOf = (path: string) => /^((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];

const self = new Map<string, number>();
let busy = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  const frame = byId.get(id)!.callFrame;
  const delta = profile.timeDeltas[i] ?? 0;
  if (frame.functionName === "(idle)") {
    idle += delta;
    return;
  }
  const path = where(frame.url);
  const key = byFile
    ? (frame.url.includes("node_modules/") ? `${packageOf(path)} (package)` : path) || frame.functionName
    : `${frame.functionName || "(anonymous)"} ${path}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + delta);
  busy += delta;
});
console.log(`busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s; shares of the busy time:`);
for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${((micros / busy) * 100).toFixed(1).padStart(5)} %  ${key}`);
}
