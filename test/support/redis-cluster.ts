/**
 * A real Redis Cluster for tests: redis-server processes with cluster mode on free ports, each in
 * a temporary directory of its own (nodes.conf), joined by `redis-cli --cluster create`; nothing
 * saved to disk, everything removed by stop(). With replicas, each master gets one, and a low
 * cluster-node-timeout makes a failover take a couple of seconds.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis, type Cluster } from "ioredis";
import { clientPool, freePort, stopServer, waitUntilReady, type TestRedis } from "./redis.ts";

export interface ClusterOptions {
  masters?: number;
  /** Replicas per master. */
  replicas?: number;
  /** How long a master may not answer before the cluster fails it over. */
  nodeTimeoutMs?: number;
}

export interface TestRedisCluster extends TestRedis {
  /** The port of the master that serves `key`'s slot now. */
  masterOf(key: string): Promise<number>;
  /** The port of a replica of the master on `port`. */
  replicaOf(port: number): Promise<number>;
  /** Kills a node at once (SIGKILL), as a crash would. */
  kill(port: number): Promise<void>;
  /** Waits until every live node reports cluster_state:ok. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
}

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilTrue(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`redis cluster: ${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export async function startTestRedisCluster(options: ClusterOptions = {}): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  const dir = await mkdtemp(join(tmpdir(), "tessera-redis-cluster-"));
  const servers = new Map<number, ChildProcess>();
  const admins = new Map<number, Redis>();
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const port = await freePort();
      // prettier-ignore
      const args = [
        "--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", String(options.nodeTimeoutMs ?? 1000), "--save", "", "--appendonly", "no",
        "--enable-debug-command", "local", // DEBUG SLEEP stalls a replica in tests
      ];
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      servers.set(port, spawn("redis-server", args, { cwd: nodeDir, stdio: "ignore" }));
    }
    const ports = [...servers.keys()];
    await Promise.all(ports.map((port) => waitUntilReady(`redis://127.0.0.1:${port}`, 5_000)));
    await run(
      "redis-cli",
      ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`), "--cluster-replicas", String(replicas), "--cluster-yes"],
      {
        timeout: 30_000,
      },
    );
    for (const port of ports) {
      const admin = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      admin.on("error", () => {});
      admins.set(port, admin);
    }
  } catch (error) {
    await Promise.all([...servers.values()].map((server) => stopServer(server)));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const live = () => [...admins].filter(([port]) => servers.get(port)!.exitCode === null && servers.get(port)!.signalCode === null);
  const infoField = (info: string, field: string) => new RegExp(`^${field}:(\\S+)`, "m").exec(info)?.[1];
  async function waitUntilHealthy(timeoutMs = 20_000): Promise<void> {
    await untilTrue("every node reports cluster_state:ok", timeoutMs, async () => {
      const infos = await Promise.all(live().map(([, admin]) => admin.cluster("INFO") as Promise<string>));
      return infos.every((info) => infoField(info, "cluster_state") === "ok");
    });
    // Replicas in sync with their masters: a failover needs one that has the data.
    await untilTrue("every replica is in sync", timeoutMs, async () => {
      const infos = await Promise.all(live().map(([, admin]) => admin.info("replication")));
      return infos.every((info) => infoField(info, "role") === "master" || infoField(info, "master_link_status") === "up");
    });
  }
  await waitUntilHealthy();

  const nodes = [...servers.keys()].map((port) => ({ host: "127.0.0.1", port }));
  const settings = { clusterNodes: nodes };
  const pool = clientPool(settings);
  const admin = pool.client() as Cluster;
  const masterAdmins = async () => (await admin.ping(), admin.nodes("master"));
  return {
    shape: "Redis Cluster",
    settings,
    env: { REDIS_CLUSTER_NODES: nodes.map((node) => `${node.host}:${node.port}`).join(",") },
    client: pool.client,
    connected: pool.connected,
    masters: masterAdmins,
    async flush() {
      await Promise.all((await masterAdmins()).map((node) => node.flushall()));
    },
    async keys(pattern) {
      return (await Promise.all((await masterAdmins()).map((node) => node.keys(pattern)))).flat();
    },
    async masterOf(key) {
      const slot = Number(await live()[0]![1].cluster("KEYSLOT", key));
      const ranges = await live()[0]![1].cluster("SLOTS");
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!owner) throw new Error(`redis cluster: no master serves slot ${slot}`);
      return owner[2]![1];
    },
    async replicaOf(port) {
      const replica = /^slave0:.*\bport=(\d+)/m.exec(await admins.get(port)!.info("replication"))?.[1];
      if (!replica) throw new Error(`redis cluster: the master on ${port} has no replica`);
      return Number(replica);
    },
    async kill(port) {
      admins.get(port)?.disconnect();
      await stopServer(servers.get(port)!, "SIGKILL");
    },
    waitUntilHealthy,
    async stop() {
      pool.closeAll();
      admins.forEach((client) => client.disconnect());
      await Promise.all([...servers.values()].map((server) => stopServer(server)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
