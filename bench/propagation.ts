/**
 * How long a layout publish takes to reach another compositor instance: two `compositor/main.ts`
 * processes share one Redis; the probe page is published on one, and the other is polled until it
 * serves the new version. Usage: npm run bench:propagation [-- <publishes> [cluster]] (REDIS_URL
 * or a spawned redis-server; with `cluster`, a spawned 3-master Redis Cluster).
 */
import { measurePropagation, median, startCompositorPair, type CompositorPair } from "../test/support/compositor-pair.ts";
import { startTestRedisCluster } from "../test/support/redis-cluster.ts";
import { startTestRedis } from "../test/support/redis.ts";

const rounds = Number(process.argv[2] ?? 100);
const redis = process.argv[3] === "cluster" ? await startTestRedisCluster() : await startTestRedis();
let pair: CompositorPair | undefined;
try {
  pair = await startCompositorPair(redis.env);
  await measurePropagation(pair.a, [pair.b], 5); // warm-up
  const samples = await measurePropagation(pair.a, [pair.b], rounds);
  const served = samples.map((s) => s.servedMs).sort((a, b) => a - b);
  const p = (q: number) => served[Math.min(served.length - 1, Math.floor(q * served.length))]!.toFixed(1);
  console.log(`layout propagation between two compositor processes over ${redis.shape}, ${rounds} publishes`);
  console.log(`publish sent → served by the other instance: median ${median(served).toFixed(1)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms`);
  console.log(`publish RPC (validate + Lua write + stream entry) alone: median ${median(samples.map((s) => s.publishMs)).toFixed(1)} ms`);
  console.log(`after the publish answered: median ${median(samples.map((s) => s.servedMs - s.publishMs)).toFixed(1)} ms`);
} finally {
  await pair?.stop();
  await redis.stop();
}
