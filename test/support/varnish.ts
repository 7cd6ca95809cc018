/**
 * A real Varnish for tests: varnishd (Debian's varnish and varnish-modules, for xkey) spawned in the
 * foreground on a free loopback port, with the shipped VCL (deploy/varnish/default.vcl) whose backend
 * .host and .port, the lines a deployment edits, point at the Tessera under test. Stopped after.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, stopServer } from "./redis.ts";

export const SHIPPED_VCL = join(import.meta.dirname, "../../deploy/varnish/default.vcl");

export interface TestVarnish {
  url: string;
  /** The varnishd output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The shipped VCL with its backend at `host`:`port`. */
export async function vclFor(host: string, port: number): Promise<string> {
  const vcl = await readFile(SHIPPED_VCL, "utf8");
  return vcl.replace(/^(\s*\.host = )"[^"]*";/m, `$1"${host}";`).replace(/^(\s*\.port = )"[^"]*";/m, `$1"${port}";`);
}

function requireXkey(): void {
  if (spawnSync("dpkg", ["-s", "varnish-modules"], { stdio: "ignore" }).status !== 0)
    throw new Error("the xkey vmod is missing: apt-get install varnish-modules (.ci/run installs it)");
}

/** Starts varnishd in front of the backend at 127.0.0.1:`backendPort`, on `port` (a free one by default). */
export async function startVarnish(backendPort: number, port?: number): Promise<TestVarnish> {
  requireXkey();
  const dir = await mkdtemp(join(tmpdir(), "tessera-varnish-"));
  const vclFile = join(dir, "default.vcl");
  await writeFile(vclFile, await vclFor("127.0.0.1", backendPort));
  const listen = port ?? (await freePort());
  // -j none: no privilege separation, so that it runs the same as root (CI) or not, reading files of a private temp dir.
  const args = ["-F", "-j", "none", "-n", join(dir, "work"), "-a", `127.0.0.1:${listen}`, "-f", vclFile, "-s", "malloc,64m"];
  const varnishd: ChildProcess = spawn("varnishd", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-8_000));
  varnishd.stdout!.on("data", keep);
  varnishd.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${listen}`;
  const stop = async () => {
    await stopServer(varnishd);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(url, varnishd, 20_000);
  } catch (error) {
    await stop();
    throw new Error(`varnishd did not start: ${error instanceof Error ? error.message : error}\n${output}`);
  }
  return { url, output: () => output, stop };
}

async function waitUntilListening(url: string, varnishd: ChildProcess, deadlineMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (varnishd.exitCode !== null) throw new Error(`varnishd exited (${varnishd.exitCode})`);
    try {
      // Any answer will do (a PURGE of nothing is answered by the VCL itself, whatever the backend).
      await fetch(url, { method: "PURGE", headers: { "xkey-purge": "nothing" }, signal: AbortSignal.timeout(1_000) });
      return;
    } catch (error) {
      if (Date.now() - started > deadlineMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
