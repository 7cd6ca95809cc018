/**
 * The fuzz suite: 20,000 hostile requests from a fixed seed across every surface (a table of
 * surfaces × mutators), against a real server on a free port and its h2c gRPC listener. No answer
 * is a 5xx, an internal error, a stack or a path; every error is {code, message}; the server is
 * alive at the end and its memory bounded.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, type Tessera } from "../../compositor/server.ts";
import { buildDashboard } from "../../dashboard/build.ts";
import { DASHBOARD_DIST } from "../../dashboard/paths.ts";
import { createFileStore } from "../../layout-service/file-store.ts";
import { createPublishedLayouts, type PublishedLayouts } from "../../compositor/layouts/published-layouts.ts";
import { seedStore } from "../../layout-service/seed.ts";
import type { LayoutStore } from "../../layout-service/store.ts";
import { loadCatalog } from "../../dds/catalog/films.ts";
import { createMemoryContentChanges } from "../../dds/content/memory-changes.ts";
import { defaultParts, devToken } from "../support/tessera.ts";
import { createSender, type Sender } from "./send.ts";
import { FUZZ_SEED, runFuzz } from "./run-fuzz.ts";
import type { FuzzContext } from "./surfaces.ts";

const REQUESTS = 20_000;
const CONCURRENCY = 24;
/** Peak RSS of this process (server and client both) may grow by at most this over the run. */
const RSS_GROWTH_MAX_BYTES = 400 * 1024 * 1024;

describe("hostile input on every surface", () => {
  let dataDir: string;
  let store: LayoutStore;
  let layouts: PublishedLayouts;
  let http1: Tessera;
  let grpc: Tessera;
  let sender: Sender;
  let ctx: FuzzContext;

  beforeAll(async () => {
    // The dashboard's files are a surface too; a build others may be using is left as it is.
    if (!existsSync(join(DASHBOARD_DIST, "index.html"))) await buildDashboard();
    dataDir = await mkdtemp(join(tmpdir(), "tessera-fuzz-"));
    store = await createFileStore(dataDir);
    await seedStore(store);
    layouts = await createPublishedLayouts(store);
    const base = defaultParts();
    const contentChanges = createMemoryContentChanges(loadCatalog());
    const parts = {
      ...base,
      config: { ...base.config, rateLimitMax: 0, eventsRateLimitMax: 0 },
      layouts,
      layoutStore: store,
      contentChanges,
    };
    http1 = await buildServer(parts);
    grpc = await buildServer(parts, { http2: true });
    await http1.app.listen({ host: "127.0.0.1", port: 0 });
    await grpc.app.listen({ host: "127.0.0.1", port: 0 });
    const portOf = (tessera: Tessera) => (tessera.app.server.address() as { port: number }).port;
    sender = createSender({ port: portOf(http1), h2Port: portOf(grpc), timeoutMs: 20_000 });
    ctx = { operatorToken: await devToken({ userId: "alice", roles: ["operator"] }), userToken: await devToken({ userId: "u42" }) };
  });

  afterAll(async () => {
    sender?.close();
    await Promise.all([http1?.app.close(), grpc?.app.close()]);
    layouts?.close();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`answers ${REQUESTS} mutated requests without a 5xx, a stack or a shapeless error, and stays up`, async () => {
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
    const { failures } = await runFuzz({ sender, ctx, seed: FUZZ_SEED, requests: REQUESTS, concurrency: CONCURRENCY });
    clearInterval(sampler);

    expect(Object.fromEntries(failures)).toEqual({});
    const health = await sender.send({ method: "GET", path: "/healthz", headers: {} });
    expect(health.status).toBe(200);
    console.info(`fuzz: ${REQUESTS} requests, peak RSS ${Math.round(rssPeak / 1e6)} MB (+${Math.round((rssPeak - rssBefore) / 1e6)} MB)`);
    expect(rssPeak - rssBefore).toBeLessThan(RSS_GROWTH_MAX_BYTES);
  }, 400_000);
});
