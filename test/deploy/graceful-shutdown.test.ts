/**
 * What a pod does between SIGTERM and its end (compositor/main.ts): it stops listening, so the
 * readiness probe fails; the requests it holds finish and their connections close; then it exits 0.
 * A request that never finishes cannot hold it past DRAIN_TIMEOUT_MS.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEV_JWT_SECRET, signToken } from "../../compositor/gateway/auth.ts";

const MAIN = join(import.meta.dirname, "../../compositor/main.ts");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

async function start(env: Record<string, string> = {}) {
  const [port, grpcPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      GRPC_PORT: String(grpcPort),
      LOG_LEVEL: "error",
      LAYOUT_DATA_DIR: mkdtempSync(join(tmpdir(), "tessera-drain-")),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const listening = () =>
    fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
  await waitFor(async () => child.exitCode === null && (await listening()), `the server to start: ${output}`);
  return { child, port, grpcPort, exited, listening, output: () => output };
}

/** A socket that gathers everything the server sends and notes when the server closes it. */
function openSocket(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  const state = { received: "", closed: false, socket };
  socket.on("data", (chunk: Buffer) => (state.received += chunk.toString())).once("close", () => (state.closed = true));
  return state;
}

describe("stopping on SIGTERM", () => {
  it("refuses new connections, finishes the request in flight, closes its connection and exits 0", async () => {
    const server = await start();
    const token = await signToken(DEV_JWT_SECRET, { userId: "u42" });
    // A write whose body is still to come: `Expect: 100-continue` tells when the server holds the request.
    const body = JSON.stringify({ progressPercent: 42 });
    const write = openSocket(server.port);
    write.socket.write(
      `PUT /v1/me/progress/m369 HTTP/1.1\r\nHost: tessera\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await waitFor(() => write.received.startsWith("HTTP/1.1 100 Continue"), "100 Continue");

    server.child.kill("SIGTERM");
    await waitFor(async () => !(await server.listening()), "the listener to close (readiness fails)");
    expect(server.child.exitCode).toBeNull();
    write.socket.write(body);
    await waitFor(
      () => /HTTP\/1\.1 200 OK[\s\S]*"contentId":"m369","progressPercent":42/.test(write.received),
      "the answer to the request in flight",
    );
    await waitFor(() => write.closed, "the server to close the drained connection");
    expect(await server.exited).toBe(0);
  }, 60_000);

  it("exits 1 at DRAIN_TIMEOUT_MS when a request never finishes", async () => {
    const server = await start({ DRAIN_TIMEOUT_MS: "1000" });
    const token = await signToken(DEV_JWT_SECRET, { userId: "u42" });
    const stuck = openSocket(server.port);
    stuck.socket.write(
      `PUT /v1/me/progress/m369 HTTP/1.1\r\nHost: tessera\r\nAuthorization: Bearer ${token}\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`,
    );
    await waitFor(() => stuck.received.startsWith("HTTP/1.1 100 Continue"), "100 Continue");
    const stopping = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(1);
    expect(Date.now() - stopping).toBeGreaterThanOrEqual(1000);
    expect(server.output()).toContain("drain deadline passed");
    stuck.socket.destroy();
  }, 60_000);
});
