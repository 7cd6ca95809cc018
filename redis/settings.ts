/** Which Redis a process uses, from the environment: one server (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */

export interface ClusterNode {
  host: string;
  port: number;
}

export type RedisSettings = { url: string } | { clusterNodes: ClusterNode[] };

/** `host:port,host:port,…`: any reachable nodes of the cluster; the client discovers the others. */
export function parseClusterNodes(list: string): ClusterNode[] {
  return list.split(",").map((entry) => {
    const match = /^\s*([^\s:]+):(\d{1,5})\s*$/.exec(entry);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65_535)
      throw new Error(`REDIS_CLUSTER_NODES: "${entry.trim()}" is not host:port`);
    return { host: match[1]!, port: Number(match[2]) };
  });
}

/** Undefined when neither is set: the process then keeps its state in memory or in files. */
export function redisSettingsFromEnv(env: NodeJS.ProcessEnv): RedisSettings | undefined {
  const url = env.REDIS_URL || undefined;
  const nodes = env.REDIS_CLUSTER_NODES || undefined;
  if (url && nodes)
    throw new Error(
      "REDIS_URL and REDIS_CLUSTER_NODES are both set: set REDIS_URL for one Redis or REDIS_CLUSTER_NODES for a Redis Cluster",
    );
  if (url) return { url };
  return nodes ? { clusterNodes: parseClusterNodes(nodes) } : undefined;
}

/** For logs: where the shared state lives, without credentials. */
export function describeRedis(settings: RedisSettings): string {
  if ("url" in settings) return `redis ${new URL(settings.url).host}`;
  return `redis cluster ${settings.clusterNodes.map((node) => `${node.host}:${node.port}`).join(",")}`;
}
