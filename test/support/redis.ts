/**
 * A real Redis for tests: REDIS_URL when given, else a private redis-server spawned on a free
 * port (nothing saved to disk) and stopped after the tests. test/support/redis-cluster.ts spawns a
 * Redis Cluster behind the same interface, so that a suite runs on both shapes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { connectRedis, createRedisClient, type RedisClient } from "../../redis/client.ts";
import type { RedisSettings } from "../../redis/settings.ts";

export interface TestRedis {
  /** "one Redis" or "Redis Cluster", for test names. */
  shape: string;
  settings: RedisSettings;
  /** REDIS_URL or REDIS_CLUSTER_NODES, for a server process. */
  env: Record<string, string>;
  /** A new client, as the servers make them; closed by stop(). */
  client(): RedisClient;
  /** A new client, connected as a server's is before it listens; closed by stop(). */
  connected(): Promise<RedisClient>;
  /** Empties every master. */
  flush(): Promise<void>;
  /** A connection to each master (one server: that server). */
  masters(): Promise<Redis[]>;
  /** The keys matching `pattern`, on every master. */
  keys(pattern: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** A client of an address where no Redis listens, that gives up at once: every command fails. */
export function unreachableRedis(): Redis {
  const lost = new Redis("redis://127.0.0.1:9", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  lost.on("error", () => {});
  return lost;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitUntilReady(url: string, deadlineMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => {}); // connection refusals are expected until the server is up
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (error) {
      if (Date.now() - started > deadlineMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
}

/** Stops a spawned redis-server and waits for it to be gone. */
export async function stopServer(server: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill(signal);
  await exited;
}

/** Clients of a test Redis, closed together. */
export function clientPool(settings: RedisSettings) {
  const clients: RedisClient[] = [];
  return {
    client() {
      const client = createRedisClient(settings, { onError: () => {} });
      clients.push(client);
      return client;
    },
    async connected() {
      const client = await connectRedis(settings, { onError: () => {} });
      clients.push(client);
      return client;
    },
    closeAll: () => clients.forEach((client) => client.disconnect()),
  };
}

/** A redis-server on `port` that keeps nothing on disk: a restart starts it empty. */
export function spawnRedisServer(port: number): ChildProcess {
  return spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
}

export async function startTestRedis(): Promise<TestRedis> {
  let server: ChildProcess | undefined;
  let url = process.env.REDIS_URL;
  if (!url) {
    const port = await freePort();
    server = spawnRedisServer(port);
    url = `redis://127.0.0.1:${port}`;
  }
  await waitUntilReady(url, 5_000);
  const settings = { url };
  const pool = clientPool(settings);
  const admin = pool.client() as Redis;
  return {
    shape: "one Redis",
    settings,
    env: { REDIS_URL: url },
    client: pool.client,
    connected: pool.connected,
    masters: async () => [admin],
    flush: async () => void (await admin.flushall()),
    keys: (pattern) => admin.keys(pattern),
    async stop() {
      pool.closeAll();
      if (server) await stopServer(server);
    },
  };
}
