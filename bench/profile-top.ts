/**
 * `node bench/profile-top.ts <file.cpuprofile> [n] [--by-file]`: the functions (or files) with the
 * most self time.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const byFile = process.argv.includes("--by-file");
const [file, count = "30"] = process.argv.slice(2).filter((arg) => arg !== "--by-file");
if (!file) throw new Error("usage: node bench/profile-top.ts <file.cpuprofile> [n]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = byId.get(id)!.callFrame;
  const where = frame.url.replace(/^.*\/(node_modules\/)?/, "");
  const key = byFile
    ? where.replace(/^(@[^/]+\/)?([^/]+)\/.*$/, "$1$2 (package)") || frame.functionName
    : `${frame.functionName || "(anonymous)"} ${where}:${frame.lineNumber + 1}`;
  const delta = profile.timeDeltas[i] ?? 0;
  self.set(key, (self.get(key) ?? 0) + delta);
  total += delta;
});
for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${((micros / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
}
