/** The shapes every Redis suite runs on: one Redis (REDIS_URL) and a Redis Cluster (REDIS_CLUSTER_NODES). */
import { startTestRedisCluster } from "./redis-cluster.ts";
import { startTestRedis, type TestRedis } from "./redis.ts";

export const redisShapes: Array<[string, () => Promise<TestRedis>]> = [
  ["one Redis", startTestRedis],
  ["Redis Cluster", () => startTestRedisCluster()],
];
