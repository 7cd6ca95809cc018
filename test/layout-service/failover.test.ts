/**
 * A Redis Cluster master fails while two compositors serve pages and an operator publishes: the
 * master that holds the layout keys' slot is killed (SIGKILL), its replica takes over, and pages
 * are served throughout while every publish that was acknowledged survives, in the history and on
 * every instance. Publishes WAIT for a replica on a cluster (layout-service/redis-store.ts): with
 * asynchronous replication an acknowledged write could otherwise die with its master.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisStore, LAYOUT_KEY_PREFIX } from "../../layout-service/redis-store.ts";
import type { LayoutStore } from "../../layout-service/store.ts";
import { operatorClient, probeLayout, startCompositorPair, whenServed, type CompositorPair } from "../support/compositor-pair.ts";
import { startTestRedisCluster, type TestRedisCluster } from "../support/redis-cluster.ts";
import { devToken } from "../support/tessera.ts";
import { layoutOf } from "./store-contract.ts";

interface Served {
  status: number;
  ms: number;
}

/** Requests pages from every instance, one after the other, until stopped. */
function trickle(urls: string[], headers: Record<string, string>): { stop(): Promise<Served[]> } {
  const served: Served[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const started = performance.now();
      const url = `${urls[i % urls.length]}/v1/pages/${i % 2 ? "probe" : "home"}?platform=web`;
      const response = await fetch(url, { headers: i % 3 ? {} : headers, signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
      await response?.arrayBuffer();
      served.push({ status: response?.status ?? 0, ms: performance.now() - started });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return served;
    },
  };
}

describe("a Redis Cluster master failing under load", () => {
  let cluster: TestRedisCluster;
  let pair: CompositorPair;
  let store: LayoutStore;
  beforeAll(async () => {
    cluster = await startTestRedisCluster({ replicas: 1, nodeTimeoutMs: 1000 });
    pair = await startCompositorPair(cluster.env);
    store = await createRedisStore(cluster.client());
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await pair?.stop();
    await cluster?.stop();
  });

  it("answers a publish once a replica has it, and reports when none confirms in time", async () => {
    const errors: unknown[] = [];
    const waiting = await createRedisStore(cluster.client(), { onError: (error) => errors.push(error), replicaWaitMs: 300 });
    const replica = new Redis({ port: await cluster.replicaOf(await cluster.masterOf(`${LAYOUT_KEY_PREFIX}:current`)), lazyConnect: true });
    replica.on("error", (error) => errors.push(error));
    const publish = (baseVersion: number) =>
      waiting.publish({
        pageId: "replicated",
        layout: layoutOf("replicated", ["a"]),
        baseVersion,
        author: "alice",
        publishedAt: new Date().toISOString(),
        message: "m",
      });
    try {
      await publish(0);
      await replica.readonly();
      expect(await replica.hget(`${LAYOUT_KEY_PREFIX}:current`, "replicated")).toBe("1");
      expect(errors).toEqual([]);

      // A replica that cannot acknowledge: stalled for a second.
      const sleeper = replica.duplicate();
      sleeper.on("error", (error) => errors.push(error));
      await sleeper.ping();
      const stalled = sleeper.debug("SLEEP", 1).finally(() => sleeper.disconnect());
      await new Promise((resolve) => setTimeout(resolve, 50));
      await publish(1);
      expect(errors.map(String)).toEqual([expect.stringMatching(/publish of replicated: no replica confirmed it within 300 ms/)]);
      await stalled;
    } finally {
      replica.disconnect();
      await waiting.close();
    }
  });

  it("serves pages throughout and loses no acknowledged publish", async () => {
    const operator = await operatorClient(pair.a.url);
    const acknowledged: number[] = [];
    let round = 0;
    /** Saves and publishes one new version; retried until acknowledged, as an operator would. */
    async function publishOnce(): Promise<void> {
      for (let attempt = 0; ; attempt++) {
        try {
          const current = await operator.getLayout({ pageId: "probe" }).catch(() => undefined);
          const { draft } = await operator.saveDraft({
            pageId: "probe",
            layout: probeLayout(round++),
            baseRevision: current?.draft?.revision ?? 0,
          });
          const baseVersion = current?.published?.version ?? 0;
          const { version } = await operator.publish({
            pageId: "probe",
            message: `round ${round}`,
            draftRevision: draft!.revision,
            baseVersion,
          });
          acknowledged.push(version!.version);
          return;
        } catch (error) {
          if (attempt >= 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    }

    await publishOnce();
    await whenServed(pair.b.url, 1);
    const anonymousAndSignedIn = trickle([pair.a.url, pair.b.url], { authorization: `Bearer ${await devToken({ userId: "u1" })}` });
    for (let i = 0; i < 2; i++) await publishOnce();
    const victim = await cluster.masterOf(`${LAYOUT_KEY_PREFIX}:current`);
    await cluster.kill(victim);
    const killedAt = performance.now();
    for (let i = 0; i < 3; i++) await publishOnce(); // during the failover
    await cluster.waitUntilHealthy();
    const healedMs = performance.now() - killedAt;
    for (let i = 0; i < 2; i++) await publishOnce();
    const served = await anonymousAndSignedIn.stop();

    expect(await cluster.masterOf(`${LAYOUT_KEY_PREFIX}:current`)).not.toBe(victim);
    const history = (await store.history("probe")).map((version) => version.version);
    expect(history).toEqual(expect.arrayContaining(acknowledged));
    const latest = Math.max(...acknowledged);
    await whenServed(pair.a.url, latest);
    await whenServed(pair.b.url, latest);
    expect(served.filter((response) => response.status !== 200)).toEqual([]);
    const slowest = Math.max(...served.map((response) => response.ms));
    console.log(
      `failover of the layouts' master: cluster healthy again after ${healedMs.toFixed(0)} ms; ${served.length} pages served, ` +
        `slowest ${slowest.toFixed(0)} ms, ${served.filter((response) => response.ms > 500).length} over 500 ms; ${acknowledged.length} publishes acknowledged`,
    );
  }, 120_000);
});
