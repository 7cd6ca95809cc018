/** Starting and stopping the servers under test as child processes, as they run in production. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  url: string;
  child: ChildProcess;
  /** The end of what it wrote on stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server at ${url} did not become ready: ${stderr()}`);
}

/**
 * Runs `node <script>` of the checkout at `root` (this one by default) with `env` on a free port. Logs
 * (info, one line per request) go to /dev/null as they would go to a log shipper, or to `onStdout`;
 * stderr is kept for start-up failures.
 */
export async function startNode(
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  { root = ROOT, onStdout }: { root?: string; onStdout?: (text: string) => void } = {},
): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", onStdout ? "pipe" : "ignore", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => onStdout!(chunk.toString()));
  let errors = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, () => errors);
  return {
    url,
    child,
    stderr: () => errors,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface RunningDds {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM (or `signal`), and the process gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `node dds/main.ts` on `port` (a free one when not given) with `env`, once it answers HTTP. */
export async function startDds(env: Record<string, string> = {}, port?: number): Promise<RunningDds> {
  const ddsPort = port ?? (await freePort());
  const child = spawn(process.execPath, [join(ROOT, "dds/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", ...env, DDS_PORT: String(ddsPort), HOST: "127.0.0.1" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${ddsPort}`;
  const stop = (signal: NodeJS.Signals = "SIGTERM") =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill(signal);
    });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the DDS exited (${child.exitCode})`);
    const up = await fetch(url).then(
      () => true,
      () => false,
    );
    if (up) return { url, port: ddsPort, child, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop("SIGKILL");
  throw new Error("the DDS did not start within 60 s");
}
