/**
 * Two compositor processes (`node compositor/main.ts`) sharing one Redis or a Redis Cluster, as
 * they run behind a load balancer, and what measuring layout propagation between them needs.
 */
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startNode, type Running } from "../../bench/processes.ts";
import { LayoutService } from "../../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { devToken } from "./tessera.ts";

export interface CompositorPair {
  a: Running;
  b: Running;
  stop(): Promise<void>;
}

/** `count` compositor processes; `redisEnv`: REDIS_URL or REDIS_CLUSTER_NODES. */
export async function startCompositors(redisEnv: Record<string, string>, count: number): Promise<Running[]> {
  const env = { ...redisEnv, GRPC_PORT: "0", LOG_LEVEL: "warn", RATE_LIMIT_MAX: "100000000", NODE_ENV: "development" };
  return Promise.all(Array.from({ length: count }, () => startNode("compositor/main.ts", env)));
}

export async function startCompositorPair(redisEnv: Record<string, string>): Promise<CompositorPair> {
  const [a, b] = (await startCompositors(redisEnv, 2)) as [Running, Running];
  return { a, b, stop: async () => void (await Promise.all([a.stop(), b.stop()])) };
}

/** A layout API client of `baseUrl` signed in as an operator (a development token unless `token` is given). */
export async function operatorClient(baseUrl: string, token?: string): Promise<Client<typeof LayoutService>> {
  token ??= await devToken({ userId: "alice", roles: ["operator"] });
  const transport = createConnectTransport({
    baseUrl,
    httpVersion: "1.1",
    interceptors: [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))],
  });
  return createClient(LayoutService, transport);
}

/** A one-widget page whose config differs per round, so that every publish is a real change. */
export function probeLayout(round: number) {
  return {
    pageId: "probe",
    variants: [
      { id: "default", placements: [{ instanceId: "drama", type: "genre-tray", config: { genre: "Drama", limit: (round % 20) + 1 } }] },
    ],
  };
}

/** Saves the probe page's draft and publishes it, based on what the layout API shows now; the new version. */
export async function publishProbe(client: Client<typeof LayoutService>, round: number): Promise<number> {
  const current = await client.getLayout({ pageId: "probe" }).catch(() => undefined);
  const { draft } = await client.saveDraft({ pageId: "probe", layout: probeLayout(round), baseRevision: current?.draft?.revision ?? 0 });
  const { version } = await client.publish({
    pageId: "probe",
    message: `round ${round}`,
    draftRevision: draft!.revision,
    baseVersion: current?.published?.version ?? 0,
  });
  return version!.version;
}

/** The layout version a compositor serves for the probe page, or "" when it has none. */
export async function servedVersion(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/pages/probe?platform=web`, { headers: { accept: "application/json" } });
  if (response.status === 404) return "";
  if (!response.ok) throw new Error(`GET probe: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { layoutVersion: string }).layoutVersion;
}

/** Polls `baseUrl` until it serves `version`; the time it first did (performance.now()). */
export async function whenServed(baseUrl: string, version: number, timeoutMs = 5_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await servedVersion(baseUrl)) === String(version)) return performance.now();
  }
  throw new Error(`${baseUrl} did not serve version ${version} of probe within ${timeoutMs} ms`);
}

export interface PropagationSample {
  version: number;
  /** Publish RPC sent → the publish answered, on the publishing instance. */
  publishMs: number;
  /** Publish RPC sent → every reader serves the new version. */
  servedMs: number;
}

/** Saves and publishes the probe page on `publisher` `rounds` times; measures when every reader serves each version. */
export async function measurePropagation(publisher: Running, readers: readonly Running[], rounds: number): Promise<PropagationSample[]> {
  const client = await operatorClient(publisher.url);
  const samples: PropagationSample[] = [];
  for (let round = 0; round < rounds; round++) {
    const current = await client.getLayout({ pageId: "probe" }).catch(() => undefined);
    const baseRevision = current?.draft?.revision ?? 0;
    const baseVersion = current?.published?.version ?? 0;
    const { draft } = await client.saveDraft({ pageId: "probe", layout: probeLayout(round), baseRevision });
    const served = Promise.all(readers.map((reader) => whenServed(reader.url, baseVersion + 1)));
    const started = performance.now();
    const { version } = await client.publish({ pageId: "probe", message: `round ${round}`, draftRevision: draft!.revision, baseVersion });
    const published = performance.now();
    samples.push({ version: version!.version, publishMs: published - started, servedMs: Math.max(...(await served)) - started });
  }
  return samples;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
