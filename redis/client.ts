/**
 * The one place that opens Redis connections, for one server or a Redis Cluster alike. Both
 * shapes answer the same commands; what differs on a cluster is that a command, a pipeline, a
 * MULTI or a script may only touch keys of one slot (see keys.ts), and that a keyless command
 * goes to any node.
 */
import { Cluster, Redis } from "ioredis";
import type { RedisSettings } from "./settings.ts";

export type RedisClient = Redis | Cluster;

export interface ClientOptions {
  /** Every connection reports its errors somewhere: an unhandled ioredis `error` event is logged by ioredis itself. */
  onError: (error: unknown) => void;
  /** Shown by CLIENT LIST, e.g. "tessera:layout-feed". */
  name?: string;
}

/**
 * Failover on a cluster: a command to a master that went away is retried (every 100 ms, up to
 * maxRedirections times) while the cluster promotes a replica, instead of failing at once.
 */
const CLUSTER_OPTIONS = {
  retryDelayOnFailover: 100,
  retryDelayOnClusterDown: 100,
  retryDelayOnTryAgain: 100,
  maxRedirections: 32,
  slotsRefreshTimeout: 1000,
  clusterRetryStrategy: (times: number) => Math.min(100 * times, 2000),
};

/**
 * Every wait has a deadline: a command gets no answer within COMMAND_TIMEOUT_MS → it fails; a command
 * sent while the connection is down is retried once after a reconnection attempt, then fails.
 * Reconnection goes on forever, backing off to once a second.
 */
const COMMAND_TIMEOUT_MS = 2_000;
const RECONNECT_OPTIONS = {
  commandTimeout: COMMAND_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  retryStrategy: (times: number) => Math.min(50 * times, 1_000),
};

/**
 * A client that connects on first use. Commands sent before it is connected wait in ioredis's
 * offline queue (each within its deadline); connectRedis turns that queue off once connected.
 */
export function createRedisClient(settings: RedisSettings, options: ClientOptions): RedisClient {
  const redisOptions = { lazyConnect: true, ...RECONNECT_OPTIONS, ...(options.name ? { connectionName: options.name } : {}) };
  const client =
    "url" in settings
      ? new Redis(settings.url, redisOptions)
      : new Cluster(settings.clusterNodes, { ...CLUSTER_OPTIONS, lazyConnect: true, redisOptions });
  client.on("error", options.onError);
  return client;
}

/**
 * A connected client; fails when the server or no node of the cluster answers. On a cluster, every
 * master's connection is open too (they open on first use), so that no request pays for one.
 * Without an offline queue: while Redis is unreachable a command fails at once instead of queueing
 * behind the outage, so requests do not pile up and every caller falls back on what it has.
 */
export async function connectRedis(settings: RedisSettings, options: ClientOptions): Promise<RedisClient> {
  const client = createRedisClient(settings, options);
  await client.connect();
  if (client instanceof Cluster) await pingMasters(client);
  client.options.enableOfflineQueue = false;
  return client;
}

/** How often a new cluster client pings its masters before it gives up, and how long it waits between. */
const MASTER_PING_ATTEMPTS = 3;
const MASTER_PING_PAUSE_MS = 200;

/**
 * Every master answers a ping. Right after connecting, the client may still replace a node's
 * connection as it learns the cluster's slots ("Connection is closed." on a ping sent on the old
 * one), so the masters it knows then are pinged again, a few times.
 */
async function pingMasters(client: Cluster): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await Promise.all(client.nodes("master").map((node) => node.ping()));
      return;
    } catch (error) {
      if (attempt >= MASTER_PING_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, MASTER_PING_PAUSE_MS));
    }
  }
}

/** Connected and answering commands now (a cluster: its slots known). */
export const redisReady = (client: RedisClient): boolean => client.status === "ready";

/**
 * Another connection to the same server or cluster, e.g. for a subscriber or a blocking read,
 * which cannot share the connection that everything else queues on. It keeps an offline queue:
 * its one reader sends one command at a time. A blocking read's deadline is the time it blocks
 * for plus a grace (ioredis's blockingTimeout), not the command deadline.
 */
export function duplicateRedis(client: RedisClient, options: ClientOptions): RedisClient {
  const own = {
    enableOfflineQueue: true,
    commandTimeout: undefined,
    blockingTimeout: COMMAND_TIMEOUT_MS,
    ...(options.name ? { connectionName: options.name } : {}),
  };
  const copy =
    client instanceof Cluster
      ? client.duplicate(undefined, { enableOfflineQueue: true, redisOptions: { ...client.options.redisOptions, ...own } })
      : client.duplicate(own);
  copy.on("error", options.onError);
  return copy;
}

/** Closes the connection, politely when it can. */
export async function closeRedis(client: RedisClient): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}
