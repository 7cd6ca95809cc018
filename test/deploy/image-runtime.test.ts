/**
 * The image's runtime, rebuilt outside Docker (no engine runs on these machines) from what the
 * Dockerfile says: the build context as .dockerignore leaves it, its deps stage's `npm ci`
 * (production dependencies only), the dashboard built with those alone, then its CMD with its ENV, in
 * production mode with an ES256 key file as the Secret mounts it. A runtime dependency declared as a
 * dev one, or a folder .dockerignore leaves out that the server needs, fails the start here. (Draining: graceful-shutdown.test.ts.)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { SignJWT, exportSPKI, generateKeyPair } from "jose";
import { DockerfileParser, type Copy, type Env } from "dockerfile-ast";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from "../../compositor/gateway/auth.ts";
import { jsonCommand, runtimeStage } from "../../scripts/deploy-checks.ts";

const ROOT = join(import.meta.dirname, "../..");
const DOCKERFILE = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const stage = runtimeStage(DOCKERFILE);
const NODE_BIN = dirname(process.execPath);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** .dockerignore's patterns as the few shapes it uses: `**\/name`, `*.ext` and plain paths. */
function ignoredByDocker(): (path: string) => boolean {
  const patterns = readFileSync(join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  return (path) =>
    patterns.some((pattern) => {
      if (pattern.startsWith("**/")) return path.split("/").includes(pattern.slice(3));
      if (pattern.startsWith("*.")) return path.endsWith(pattern.slice(1));
      return path === pattern || path.startsWith(`${pattern}/`);
    });
}

function run(command: string, cwd: string): void {
  const result = spawnSync("sh", ["-c", command], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH}` },
  });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
}

/** Lays out /app as the runtime stage has it, in a temporary folder: the build stage's, over the deps stage's. */
function buildRuntime(app: string): void {
  const instructions = DockerfileParser.parse(DOCKERFILE).getInstructions();
  const copies = stage
    .filter((i) => i.getKeyword() === "COPY")
    .map((i) => [(i as Copy).getFromFlag()?.getValue(), i.getArgumentsContent()]);
  expect(copies).toEqual([["build", "/app ./"]]);
  const runOf = (pattern: RegExp) =>
    instructions.find((i) => i.getKeyword() === "RUN" && pattern.test(i.getArgumentsContent() ?? ""))!.getArgumentsContent()!;
  const npmCi = runOf(/^npm ci /);
  expect(npmCi).toContain("--omit=dev");

  const ignored = ignoredByDocker();
  cpSync(ROOT, app, { recursive: true, filter: (path) => path === ROOT || !ignored(relative(ROOT, path)) });
  // --prefer-offline: the packages come from npm's cache, which the repository's own `npm ci` filled.
  run(`${npmCi} --prefer-offline`, app);
  // The build stage's dashboard, built here with the production dependencies alone.
  run(runOf(/dashboard\/build\.ts/), app);
}

function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.filter((i) => i.getKeyword() === "ENV")) {
    for (const property of (instruction as Env).getProperties()) env[property.getName()] = property.getValue() ?? "";
  }
  return env;
}

describe("the image's runtime stage, from production dependencies only", () => {
  const work = mkdtempSync(join(tmpdir(), "tessera-image-"));
  const app = join(work, "app");
  let server: ChildProcess;
  let port: number;
  let grpcPort: number;
  let token: string;
  let stderr = "";
  let exited: Promise<number | null>;
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;

  beforeAll(async () => {
    mkdirSync(app);
    buildRuntime(app);
    const keys = await generateKeyPair("ES256", { extractable: true });
    const keyFile = join(work, "jwt", "public.pem");
    mkdirSync(dirname(keyFile));
    writeFileSync(keyFile, await exportSPKI(keys.publicKey));
    token = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256" })
      .setSubject("u42")
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime("5m")
      .sign(keys.privateKey);

    [port, grpcPort] = [await freePort(), await freePort()];
    const env = imageEnv();
    expect(env.NODE_ENV).toBe("production");
    const cmd = jsonCommand(
      stage
        .filter((i) => i.getKeyword() === "CMD")
        .at(-1)!
        .getArgumentsContent()!,
    )!;
    expect(cmd[0]).toBe("node");
    server = spawn(process.execPath, cmd.slice(1), {
      cwd: app,
      // The image listens on 0.0.0.0; here, on loopback only.
      env: {
        PATH: process.env.PATH,
        ...env,
        HOST: "127.0.0.1",
        PORT: String(port),
        GRPC_PORT: String(grpcPort),
        LAYOUT_DATA_DIR: join(work, "layouts"),
        JWT_PUBLIC_KEY_FILE: keyFile,
        PAGE_TOKEN_SECRET: "test-page-tokens",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    server.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    exited = new Promise((resolve) => server.once("exit", resolve));
    const deadline = Date.now() + 30_000;
    while (
      !(await fetch(url("/healthz")).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the runtime did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);

  afterAll(() => {
    if (server?.exitCode === null) server.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  });

  it("passes the image's HEALTHCHECK and is ready", async () => {
    const healthcheck = stage.find((i) => i.getKeyword() === "HEALTHCHECK")!.getArgumentsContent()!;
    const [node, ...args] = jsonCommand(healthcheck)!;
    expect(node).toBe("node");
    expect(spawnSync(process.execPath, args, { env: { PORT: String(port) } }).status).toBe(0);
    expect((await fetch(url("/readyz"))).status).toBe(200);
  });

  it("serves a page, to a caller with an ES256 token verified by the key file", async () => {
    const anonymous = await fetch(url("/v1/pages/home?platform=web"));
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("content-type")).toBe("application/x-protobuf");
    const signedIn = await fetch(url("/v1/pages/home?platform=web"), { headers: { authorization: `Bearer ${token}` } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("cache-control")).toMatch(/^private/);
  });

  it("serves the dashboard built in", async () => {
    const page = await fetch(url("/dashboard/"));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<script");
  });

  it("listens for gRPC (HTTP/2 without TLS) on its own port", async () => {
    const session = http2.connect(`http://127.0.0.1:${grpcPort}`);
    await new Promise<void>((resolve, reject) => session.once("connect", () => resolve()).once("error", reject));
    session.close();
  });

  it("stops on SIGTERM with exit code 0", async () => {
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
