import { spawn } from "node:child_process";
import { exportSPKI, generateKeyPair } from "jose";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";
import { DEV_JWT_SECRET } from "../../compositor/gateway/auth.ts";
import { DEV_PAGE_TOKEN_SECRET } from "../../compositor/composition/page-token.ts";

const MAIN = join(import.meta.dirname, "../../compositor/main.ts");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `npm start`'s entry point; resolves with its exit code and stderr, or "ready" once it serves. */
async function start(env: Record<string, string>): Promise<{ outcome: number | "ready"; stderr: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, PORT: String(port), GRPC_PORT: "0", LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { outcome: await exited, stderr };
    const ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) {
      child.kill("SIGTERM");
      await exited;
      return { outcome: "ready", stderr };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`neither served nor exited: ${stderr}`);
}

describe("production mode refuses to start without real token keys", () => {
  it("refuses the development secret", async () => {
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET: DEV_JWT_SECRET })).toThrow(/development secret/);
    const { outcome, stderr } = await start({ NODE_ENV: "production", JWT_SECRET: DEV_JWT_SECRET });
    expect(outcome).toBe(1);
    expect(stderr).toMatch(/development secret/);
  });

  it("refuses to start with no keys at all (the development secret is not the fallback)", async () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE/);
    const { outcome, stderr } = await start({ NODE_ENV: "production" });
    expect(outcome).toBe(1);
    expect(stderr).toMatch(/JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE/);
  });

  it("refuses a key file it cannot read", async () => {
    const { outcome, stderr } = await start({
      NODE_ENV: "production",
      JWT_PUBLIC_KEY_FILE: "/nonexistent/key.pem",
      PAGE_TOKEN_SECRET: "own",
    });
    expect(outcome).toBe(1);
    expect(stderr).toMatch(/nonexistent\/key\.pem/);
  });

  it("starts with a public key file alone, with no HS256 secret then", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tessera-key-")), "es256.pem");
    writeFileSync(file, await exportSPKI((await generateKeyPair("ES256", { extractable: true })).publicKey));
    const env = { NODE_ENV: "production", JWT_PUBLIC_KEY_FILE: file, PAGE_TOKEN_SECRET: "a-secret-of-its-own" };
    expect(loadConfig(env).jwtSecret).toBe("");
    expect((await start(env)).outcome).toBe("ready");
  });

  it("refuses to start without a page token secret of its own", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tessera-key-")), "es256.pem");
    writeFileSync(file, await exportSPKI((await generateKeyPair("ES256", { extractable: true })).publicKey));
    expect(() => loadConfig({ NODE_ENV: "production", JWT_PUBLIC_KEY_FILE: file })).toThrow(/PAGE_TOKEN_SECRET/);
    expect(() => loadConfig({ NODE_ENV: "production", JWT_PUBLIC_KEY_FILE: file, PAGE_TOKEN_SECRET: DEV_PAGE_TOKEN_SECRET })).toThrow(
      /PAGE_TOKEN_SECRET/,
    );
    const { outcome, stderr } = await start({ NODE_ENV: "production", JWT_PUBLIC_KEY_FILE: file });
    expect(outcome).toBe(1);
    expect(stderr).toMatch(/PAGE_TOKEN_SECRET/);
  });

  it("starts in development with the development secret", async () => {
    expect(loadConfig({}).jwtSecret).toBe(DEV_JWT_SECRET);
    expect((await start({})).outcome).toBe("ready");
  });
});
