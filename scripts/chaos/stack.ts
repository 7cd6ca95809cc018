/**
 * What `npm run chaos` breaks, as real processes on free ports: a redis-server, the DDS
 * (`node dds/main.ts`) behind a latency proxy, and the compositor (`node compositor/main.ts`) as in
 * production but for cache entries that live 2 s, so that a fault reaches pages within seconds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { signToken } from "../../compositor/gateway/auth.ts";
import { freePort, ROOT, startDds, startNode, type Running, type RunningDds } from "../../bench/processes.ts";
import { spawnRedisServer, stopServer, waitUntilReady } from "../../test/support/redis.ts";

export const USERS = 1000;

export interface Stack {
  secret: string;
  /** Signed-in users u1..u1000, persona = user number mod 8. */
  tokens: string[];
  operatorToken: string;
  redisUrl: string;
  compositor: Running;
  /** The compositor's h2c gRPC listener. */
  grpcPort: number;
  dds: RunningDds;
  /** `node compositor/main.ts` with the stack's settings and `env` over them; stopped with the stack. */
  startCompositor(env: Record<string, string>): Promise<Running>;
  /** Starts the DDS again on its port. */
  restartDds(): Promise<void>;
  /** Each answer of the DDS reaches the compositor this much later. */
  setDdsLatency(ms: number): void;
  killRedis(): Promise<void>;
  /** Starts redis-server again on its port, empty. */
  restartRedis(): Promise<void>;
  stop(): Promise<void>;
}

/** The latency proxy (latency-proxy.ts) in front of `target` (host:port), once it listens. */
async function startProxy(target: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, "scripts/chaos/latency-proxy.ts")], {
    env: { ...process.env, PROXY_TARGET: target },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [port] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return { child, url: `http://127.0.0.1:${port}` };
}

export async function startStack(): Promise<Stack> {
  const secret = `chaos-${randomUUID()}`;
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) => signToken(secret, { userId: `u${i + 1}`, persona: `p${(i + 1) % 8}` })),
  );
  const operatorToken = await signToken(secret, { userId: "alice", roles: ["operator"] });
  const redisPort = await freePort();
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  let redis = spawnRedisServer(redisPort);
  await waitUntilReady(redisUrl, 5_000);
  let dds = await startDds({ REDIS_URL: redisUrl });
  const proxy = await startProxy(`127.0.0.1:${dds.port}`);
  const grpcPort = await freePort();
  const compositors: Running[] = [];
  const startCompositor = async (env: Record<string, string>) => {
    const compositor = await startNode("compositor/main.ts", {
      NODE_ENV: "production",
      JWT_SECRET: secret,
      PAGE_TOKEN_SECRET: `page-${secret}`,
      LOG_LEVEL: "info",
      // The load generator is one client at one address, which rate limiting would refuse.
      RATE_LIMIT_MAX: "0",
      REDIS_URL: redisUrl,
      DDS_URL: proxy.url,
      CACHE_TTL_SECONDS: "2",
      GRPC_PORT: "0",
      ...env,
    });
    compositors.push(compositor);
    return compositor;
  };
  const compositor = await startCompositor({ GRPC_PORT: String(grpcPort) });
  const stack: Stack = {
    secret,
    tokens,
    operatorToken,
    redisUrl,
    compositor,
    grpcPort,
    dds,
    startCompositor,
    async restartDds() {
      dds = await startDds({ REDIS_URL: redisUrl }, dds.port);
      stack.dds = dds;
    },
    setDdsLatency: (ms) => void proxy.child.stdin!.write(`${ms}\n`),
    killRedis: () => stopServer(redis, "SIGKILL"),
    async restartRedis() {
      redis = spawnRedisServer(redisPort);
      await waitUntilReady(redisUrl, 10_000);
    },
    async stop() {
      await Promise.all(compositors.map((running) => running.stop()));
      await stack.dds.stop("SIGKILL");
      proxy.child.kill();
      await stopServer(redis);
    },
  };
  return stack;
}
