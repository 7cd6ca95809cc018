/**
 * Freshness on many replicas: ≥ 3 compositor processes on a spawned 3-master Redis Cluster; over
 * `rounds` changes each, the time from a layout publish (on one replica) and from a content change
 * (appended to the content-change stream) until every replica serves it. Goals: p99 ≤ 100 ms for a
 * publish, ≤ 1 s for a content change. Usage: npm run bench:freshness [-- <rounds> [<replicas>]].
 */
import { loadCatalog } from "../dds/catalog/films.ts";
import { createRedisContentChanges } from "../dds/content/redis-changes.ts";
import { measurePropagation, startCompositors } from "../test/support/compositor-pair.ts";
import { homeJson, measureContentFreshness, percentiles } from "../test/support/freshness.ts";
import { startTestRedisCluster } from "../test/support/redis-cluster.ts";
import type { Running } from "./processes.ts";

const rounds = Number(process.argv[2] ?? 100);
const count = Math.max(3, Number(process.argv[3] ?? 3));
const redis = await startTestRedisCluster();
let replicas: Running[] = [];
try {
  replicas = await startCompositors(redis.env, count);
  const changes = createRedisContentChanges(await redis.connected(), loadCatalog());
  const home = await homeJson(replicas[0]!.url);
  const contentId = /"contentId":"(m\d+)"/.exec(home)?.[1];
  if (!contentId) throw new Error(`the home page shows no title: ${home.slice(0, 300)}`);

  const [publisher] = replicas as [Running];
  await measurePropagation(publisher, replicas, 5); // warm-up
  await measureContentFreshness(changes, replicas, contentId, 5);
  const publish = percentiles((await measurePropagation(publisher, replicas, rounds)).map((sample) => sample.servedMs));
  const content = percentiles(await measureContentFreshness(changes, replicas, contentId, rounds));

  const row = (name: string, goal: string, p: ReturnType<typeof percentiles>) =>
    `| ${name} | ${rounds} | ${p.p50.toFixed(1)} | ${p.p95.toFixed(1)} | ${p.p99.toFixed(1)} | ${p.max.toFixed(1)} | ${goal} |`;
  console.log(
    `freshness on ${count} compositor processes over ${redis.shape} (3 masters), ${rounds} changes each; ms from the change until every replica serves it`,
  );
  console.log("| change | n | p50 | p95 | p99 | max | goal (p99) |");
  console.log("|---|---|---|---|---|---|---|");
  console.log(row("layout publish (PublishLayout on one replica)", "≤ 100", publish));
  console.log(row("content change (set-title on the stream)", "≤ 1000", content));
} finally {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await redis.stop();
}
