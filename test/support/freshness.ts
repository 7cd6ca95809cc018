/**
 * How fast a change is served by every replica: compositor processes on one Redis or a Redis
 * Cluster, polled until each serves a content change (the home page; layout publishes:
 * compositor-pair.ts). Used by the multi-replica tests and `npm run bench:freshness`.
 */
import type { Running } from "../../bench/processes.ts";
import type { ContentChange, ContentChanges } from "../../dds/content/changes.ts";

const HOME = "/v1/pages/home?platform=web";

/** The anonymous home page as JSON text. */
export async function homeJson(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}${HOME}`, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET home: ${response.status} ${await response.text()}`);
  return response.text();
}

export const showsContent = (json: string, contentId: string) => json.includes(`"contentId":"${contentId}"`);

/** Polls every replica until `served(json)` holds for its home page; the time the slowest first did (performance.now()). */
export async function whenAllServe(replicas: readonly Running[], served: (json: string) => boolean, timeoutMs = 10_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  const times = await Promise.all(
    replicas.map(async (replica) => {
      while (performance.now() < deadline) {
        if (served(await homeJson(replica.url))) return performance.now();
      }
      throw new Error(`${replica.url} did not serve the change within ${timeoutMs} ms`);
    }),
  );
  return Math.max(...times);
}

/** Publishes `change` and measures when every replica serves what `served` looks for: ms from the publish call. */
export async function timeToAllReplicas(
  changes: ContentChanges,
  change: ContentChange,
  replicas: readonly Running[],
  served: (json: string) => boolean,
): Promise<number> {
  const started = performance.now();
  await changes.publish(change);
  return (await whenAllServe(replicas, served)) - started;
}

/** `rounds` retitles of a title on the home page; ms from each publish until every replica serves it. */
export async function measureContentFreshness(
  changes: ContentChanges,
  replicas: readonly Running[],
  contentId: string,
  rounds: number,
): Promise<number[]> {
  const samples: number[] = [];
  const nonce = Date.now().toString(36);
  for (let round = 0; round < rounds; round++) {
    const title = `Freshness probe ${nonce} ${round}`;
    samples.push(
      await timeToAllReplicas(changes, { kind: "set-title", contentId, title }, replicas, (json) => json.includes(`"title":"${title}"`)),
    );
  }
  return samples;
}

/** p50/p95/p99/max of samples, in ms. */
export function percentiles(samples: readonly number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1]! };
}
