/** The DDS as its own process (`node dds/main.ts`, as `npm run dds` runs it) on a free port, for compositors started with DDS_URL. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort, ROOT } from "../../bench/processes.ts";

export interface DdsProcess {
  child: ChildProcess;
  url: string;
}

/** Resolves once it answers HTTP; `env` adds to the test's environment (e.g. REDIS_URL). */
export async function startDdsProcess(env: Record<string, string> = {}): Promise<DdsProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, "dds/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env, DDS_PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 200; tries++) {
    if (child.exitCode !== null) throw new Error(`the DDS exited (${child.exitCode})`);
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the DDS did not start");
}
