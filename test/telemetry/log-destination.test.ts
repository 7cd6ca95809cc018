/**
 * The server's log lines (compositor/telemetry/log-destination.ts) are written in chunks, yet a
 * quiet server's line reaches standard output within the flush period, and the lines held when the
 * process exits are written before it ends.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DESTINATION = join(import.meta.dirname, "../../compositor/telemetry/log-destination.ts");

/** Runs `script` (after a logger on the destination is made) in a Node process; its standard output as it comes. */
function run(script: string) {
  const source = `import pino from "pino"; import { logDestination } from ${JSON.stringify(DESTINATION)};
    const log = pino(logDestination()); ${script}`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", source], {
    cwd: join(import.meta.dirname, "../.."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { output: () => output, errors: () => errors, exited, child };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("log destination", () => {
  it("writes a quiet server's line within the flush period, though it is far from a chunk", async () => {
    // The process stays up 20 s after the line: held until a chunk fills, it would not come out meanwhile.
    const quiet = run(`log.info("one quiet line"); process.stderr.write("logged\\n"); setTimeout(() => {}, 20_000);`);
    try {
      await until(() => quiet.errors().includes("logged"), 15_000);
      await until(() => quiet.output().includes("one quiet line"), 5_000);
      expect(quiet.output()).toContain("one quiet line");
    } finally {
      quiet.child.kill();
    }
  });

  it("writes the lines it holds before the process exits", async () => {
    const exiting = run(`for (let n = 0; n < 3; n++) log.info("line " + n); process.exit(0);`);
    expect(await exiting.exited).toBe(0);
    expect(exiting.output()).toMatch(/line 0[\s\S]*line 1[\s\S]*line 2/);
  });
});
