/**
 * The composition root: reads the configuration, builds the DDS, the binders and the layout
 * source, and starts the server. The only module that imports the list of binders.
 */
import { binders } from "../binders/index.ts";
import { inProcessDdsClient, withSimulatedLatency, type DdsClient } from "../dds/client.ts";
import type { ContentOverlay } from "../dds/content/overlay.ts";
import { followedOverlay, openContentChanges } from "../dds/content/open-changes.ts";
import { createDdsServices } from "../dds/services.ts";
import { loadPlugins } from "../widget-registry/plugins.ts";
import { openLayoutStore } from "../layout-service/open-store.ts";
import { createPublishedLayouts } from "./layouts/published-layouts.ts";
import { closeRedis, connectRedis, type RedisClient } from "../redis/client.ts";
import { createAdmission } from "./admission/admission.ts";
import { loadConfig, type Config } from "./config.ts";
import { startFlagClient } from "./experiments/flag-client.ts";
import { buildServer } from "./server.ts";
import { remoteDds } from "./remote-dds.ts";
import { startTracing } from "./telemetry/tracing.ts";

/** Where the in-process DDS's images are served. */
const imageBaseUrlOf = (config: Config) => `${config.publicUrl}/images`;

function ddsClient(config: Config, redis: RedisClient | undefined, overlay: ContentOverlay | undefined): DdsClient {
  const client = config.ddsUrl
    ? remoteDds(config.ddsUrl, config.ddsTimeoutMs)
    : inProcessDdsClient(createDdsServices({ imageBaseUrl: imageBaseUrlOf(config), redis, overlay }));
  return withSimulatedLatency(client, config.ddsLatencyMs);
}

async function main(): Promise<void> {
  const config = loadConfig();
  // First: the server's spans and the remote DDS's trace propagation are installed only when it is on.
  const tracing = await startTracing();
  const plugins = await loadPlugins(config.plugins, { builtIn: binders });
  const redis =
    config.redis &&
    (await connectRedis(config.redis, { onError: (error) => console.error("redis:", error instanceof Error ? error.message : error) }));
  const contentChanges = openContentChanges(redis, (error) =>
    console.error("content changes:", error instanceof Error ? error.message : error),
  );
  // The in-process DDS applies a change before the caches drop what it made stale: it follows first.
  const overlay = config.ddsUrl ? undefined : await followedOverlay(contentChanges);
  const flags = await startFlagClient({ sdkKey: config.launchDarklySdkKey, file: config.flagsFile });
  const layoutStore = await openLayoutStore({
    dataDir: config.layoutDataDir,
    redis,
    onError: (error) => console.error("layout store:", error instanceof Error ? error.message : error),
  });
  const layouts = await createPublishedLayouts(layoutStore, {
    onError: (error) => console.error("layout refresh failed:", error instanceof Error ? error.message : error),
    checkEveryMs: 30_000,
  });
  const parts = {
    config,
    binders: [...binders, ...plugins],
    layouts,
    layoutStore,
    dds: ddsClient(config, redis, overlay),
    // A remote DDS's images are under its own URL: they keep their full URLs.
    imageBaseUrl: config.ddsUrl ? undefined : imageBaseUrlOf(config),
    flagsFor: flags.flagsFor,
    flagsInitialized: flags.initialized,
    redis,
    admission: config.admission && createAdmission(config.admission),
    contentChanges,
  };
  const { app } = await buildServer(parts);
  await app.listen({ host: config.host, port: config.port });

  // gRPC needs HTTP/2; browsers and curl speak HTTP/1.1, so gRPC gets a listener of its own (h2c).
  const grpc = config.grpcPort > 0 ? (await buildServer(parts, { http2: true })).app : undefined;
  await grpc?.listen({ host: config.host, port: config.grpcPort });
  app.log.info(
    { url: `${config.publicUrl}/v1/pages/home?platform=web`, grpcPort: config.grpcPort || "off", flags: flags.source },
    "tessera is serving",
  );

  // Draining: new connections are refused, requests in flight finish (fastify answers any other request
  // 503), within a deadline: a client that never finishes its request must not hold the exit.
  const stop = async () => {
    setTimeout(() => {
      app.log.error({ drainTimeoutMs: config.drainTimeoutMs }, "drain deadline passed: exiting with connections still open");
      process.exit(1);
    }, config.drainTimeoutMs).unref();
    // Closing closes the connections idle at that moment; a keep-alive connection whose request was in
    // flight would otherwise stay open after its answer, until its client or the keep-alive timeout ends it.
    setInterval(() => app.server.closeIdleConnections(), 100).unref();
    await Promise.all([app.close(), grpc?.close()]);
    layouts.close();
    parts.admission?.close();
    await layoutStore.close();
    await contentChanges.close();
    if (redis) await closeRedis(redis);
    flags.close();
    await tracing?.shutdown().catch((error: unknown) => console.error("tracing:", error instanceof Error ? error.message : error));
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(`tessera failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
