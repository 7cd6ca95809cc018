/**
 * Builds the compositor's HTTP server from its parts. The composition root (main.ts) and the
 * tests both use it, so tests run the real wiring.
 */
import fastifyRateLimit from "@fastify/rate-limit";
import fastify, { type FastifyInstance } from "fastify";
import { randomUUID } from "node:crypto";
import { connectErrors } from "../api/connect-errors.ts";
import { connectRoutes } from "../api/connect-routes.ts";
import { BODY_MAX_BYTES, HEADERS_MAX_BYTES, IDLE_TIMEOUT_MS, TIMEOUT_CHECK_INTERVAL_MS } from "../api/limits.ts";
import { installErrorHandling } from "../api/http-errors.ts";
import type { DdsClient } from "../dds/client.ts";
import type { ContentChanges } from "../dds/content/changes.ts";
import { ddsDataVersion } from "../dds/services.ts";
import { createLayoutAdmin } from "../layout-service/layout-admin.ts";
import { layoutService } from "../layout-service/plugin.ts";
import type { LayoutStore } from "../layout-service/store.ts";
import { redisReady, type RedisClient } from "../redis/client.ts";
import { redisKey } from "../redis/keys.ts";
import { createWidgetRegistry, type WidgetRegistry } from "../widget-registry/registry.ts";
import type { Binder } from "../widget-registry/sdk.ts";
import type { Admission } from "./admission/admission.ts";
import { registerAdmissionMetrics } from "./admission/admission-metrics.ts";
import { admittedLayoutAdmin, admittedRoutes, pageRoutesShedEarly, shedPagesEarly } from "./admission/admitted.ts";
import type { Config } from "./config.ts";
import { createTokenVerifier } from "./gateway/auth.ts";
import { gatewayContextValues, installGateway } from "./gateway/gateway-hook.ts";
import { rateLimitOptions } from "./gateway/rate-limit.ts";
import { cacheErrorLog } from "./cache/cache-error-log.ts";
import { createCompositionCache } from "./cache/composition-cache.ts";
import { guardDdsClient } from "./dds-guard/guarded-dds.ts";
import type { CompositorHooks } from "./hooks.ts";
import { purgeOnContentChange, purgeOnPublish } from "./edge/purge-on-change.ts";
import { createPurger } from "./edge/purger.ts";
import { clientErrorHandler, http2BodyDeadline, refuseOversizedTokens } from "./http/client-limits.ts";
import { previewComposer } from "./layout-preview.ts";
import { contentRoutes } from "./http/content-routes.ts";
import { appRoutes } from "./http/app-routes.ts";
import { imageRoutes } from "./http/image-routes.ts";
import { grpcOpsRoutes } from "./http/grpc-ops-routes.ts";
import { opsRoutes } from "./http/ops-routes.ts";
import { ddsBreakersClosed, flagsInitialized, layoutsLoaded, redisReachable } from "./http/readiness.ts";
import { pageRoutes } from "./http/page-routes.ts";
import { pageRpc } from "./http/page-rpc.ts";
import { userRoutes } from "./http/user-routes.ts";
import { eventRoutes } from "./http/event-routes.ts";
import { discardingSink, type EventSink } from "./events/event-sink.ts";
import { redisEventSink } from "./events/redis-event-sink.ts";
import type { LayoutSource } from "./layouts/layout-source.ts";
import { createLayoutResolver } from "./layouts/resolver.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { createPageCompositor, type PageCompositor } from "./composition/page-compositor.ts";
import { createPageService, type FlagsFor } from "./page-service.ts";
import { LayoutService } from "../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { PageService } from "../protos/gen/tessera/page/v1/page_service_pb.js";
import { logDestination } from "./telemetry/log-destination.ts";
import { traceRequests } from "./telemetry/request-spans.ts";
import { tracingEnabled } from "./telemetry/tracing.ts";

export interface ServerParts {
  config: Config;
  binders: readonly Binder[];
  layouts: LayoutSource;
  /** Serves the layout service (LayoutService, /dashboard) over this store when given. */
  layoutStore?: LayoutStore;
  dds: DdsClient;
  /** Where the DDS's images are (its image base URL): compact clients get image paths relative to it. */
  imageBaseUrl?: string;
  hooks?: readonly CompositorHooks[];
  flagsFor?: FlagsFor;
  /** Whether the flags have loaded (a /readyz check); until they have, flagsFor reads every flag as its fallback. */
  flagsInitialized?: () => boolean;
  /** Shared state of all instances (rate limits, second tier of the widget cache) when given. */
  redis?: RedisClient;
  /** The clock of layout schedules. */
  now?: () => number;
  /** The DDS data's version, part of every cache key; the in-process catalog's by default. */
  dataVersion?: () => string;
  /** Load shedding, shared by every listener of the process (main.ts makes it from config.admission); none when absent. */
  admission?: Admission;
  /**
   * The content-change stream: the caches drop what a change makes stale, and operators publish
   * changes at POST /v1/content/changes. Follow it with the in-process DDS's overlay first.
   */
  contentChanges?: ContentChanges;
}

export interface Tessera {
  app: FastifyInstance;
  compositor: PageCompositor;
  registry: WidgetRegistry;
}

/** Accepted events go to the Redis stream `tessera:events` when there is a Redis; they are dropped (and counted) otherwise. */
function eventSink(config: Config, redis: RedisClient | undefined, metrics: Metrics, onError: (error: unknown) => void): EventSink {
  if (!redis) return discardingSink(metrics.eventsDropped);
  return redisEventSink({
    redis,
    key: redisKey("events"),
    maxLength: config.events.streamMaxLength,
    bufferMax: config.events.bufferMax,
    batchMax: 500,
    writeTimeoutMs: config.events.writeTimeoutMs,
    onDropped: metrics.eventsDropped,
    onError,
  });
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export async function buildServer(parts: ServerParts, options: { http2?: boolean } = {}): Promise<Tessera> {
  const { config } = parts;
  const registry = createWidgetRegistry(parts.binders);
  const metrics = createMetrics();
  if (parts.admission) registerAdmissionMetrics(parts.admission, metrics.registry);
  const dds = guardDdsClient(parts.dds, {
    timeoutMs: config.ddsTimeoutMs,
    failureThreshold: config.ddsBreakerFailures,
    coolDownMs: config.ddsBreakerCoolDownMs,
  });
  metrics.observeBreakers(dds.breakerStates);
  const cache = config.widgetCache
    ? createCompositionCache({
        dataVersion: parts.dataVersion ?? ddsDataVersion,
        redis: parts.redis,
        ttlSeconds: config.cacheTtlSeconds,
        redisTimeoutMs: config.cacheRedisTimeoutMs,
        maxStaleSeconds: config.cacheMaxStaleSeconds,
        // The app (and its logger) is built below, before any request can reach the cache.
        onError: cacheErrorLog(() => app.log, metrics.cacheFailed),
      })
    : undefined;
  if (cache && parts.contentChanges) await parts.contentChanges.follow(cache.content.apply);
  // One purger per process: the h2c listener (gRPC) is a second server over the same parts.
  const purger =
    config.purgeUrl && !options.http2
      ? createPurger({
          url: config.purgeUrl,
          registry: metrics.registry,
          onFailure: (reason, keys, error) => app.log.warn({ reason, keys, error }, "edge purge failed"),
        })
      : undefined;
  // After the caches follow the content changes: a purge's refetch finds them without what changed.
  if (purger && parts.contentChanges) await purgeOnContentChange(parts.contentChanges, purger);
  const stopPurgingOnPublish = purger ? purgeOnPublish(parts.layouts, purger) : () => {};
  if (cache && config.ddsUrl !== undefined) metrics.observeBehindDds(() => cache.content.behindDds);
  const compositor = createPageCompositor({
    layouts: parts.layouts,
    resolver: createLayoutResolver({ registry, now: parts.now }),
    registry,
    dds: dds.client,
    imageBaseUrl: parts.imageBaseUrl,
    hooks: [metrics.hooks, ...(parts.hooks ?? [])],
    cache,
    admit: parts.admission && (() => parts.admission!.acquire("page")),
    remoteDds: config.ddsUrl !== undefined,
    pageTokenSecret: config.pageTokenSecret,
  });
  const tokens = createTokenVerifier({
    secret: config.jwtSecret,
    jwksUrl: config.jwtJwksUrl,
    publicKeyFile: config.jwtPublicKeyFile,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
  });
  const pages = createPageService({
    compositor,
    layouts: parts.layouts,
    regionHeader: config.regionHeader,
    flagsFor: parts.flagsFor,
    onServed: metrics.pageServed,
  });
  if (parts.redis) {
    const redis = parts.redis;
    metrics.observeRedis(() => redisReady(redis));
  }

  const serverOptions = {
    http2: options.http2 === true,
    logger: { level: config.logLevel, stream: logDestination() },
    trustProxy: config.trustProxy,
    bodyLimit: BODY_MAX_BYTES,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: IDLE_TIMEOUT_MS,
    http2SessionTimeout: IDLE_TIMEOUT_MS,
    http: {
      headersTimeout: config.headersTimeoutMs,
      maxHeaderSize: HEADERS_MAX_BYTES,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    clientErrorHandler,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
  };
  // fastify's types pick the server type from a literal http2 flag; one code path serves both.
  const app = fastify(serverOptions as Parameters<typeof fastify>[0]) as unknown as FastifyInstance;
  installErrorHandling(app);
  if (tracingEnabled) traceRequests(app);
  const events = eventSink(config, parts.redis, metrics, (error) => app.log.warn({ err: error }, "events: writing to Redis failed"));
  app.addHook("onClose", async () => {
    stopPurgingOnPublish();
    purger?.close();
    // Before the composition root closes Redis.
    await events.close(config.events.flushTimeoutMs);
  });
  shedPagesEarly(app, parts.admission);
  // Before the gateway: a token too large to be one is not verified.
  app.addHook("onRequest", refuseOversizedTokens);
  if (options.http2) app.addHook("onRequest", http2BodyDeadline(config.requestTimeoutMs));
  // Before the rate limiter: it keys on the identity the gateway found.
  installGateway(app, tokens);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  // Registered for the events route's own budget too, when the API's is off.
  if (config.rateLimitMax > 0 || config.eventsRateLimitMax > 0) {
    const onRedisError = (error: unknown) => app.log.warn({ err: error }, "rate limit: Redis failed; counting in this instance");
    await app.register(
      fastifyRateLimit,
      rateLimitOptions({ max: config.rateLimitMax, windowMs: config.rateLimitWindowMs, redis: parts.redis, onRedisError }),
    );
  }
  const pageRouteOptions = { regionHeader: config.regionHeader, edgeMaxAgeSeconds: config.edgeMaxAgeSeconds };
  await app.register(pageRoutesShedEarly(pageRoutes(pages, pageRouteOptions)));
  await app.register(
    connectRoutes({
      routes: pageRpc(pages, pageRouteOptions),
      interceptors: [connectErrors((error) => app.log.error({ err: error }, "unhandled error"))],
      contextValues: gatewayContextValues,
    }),
  );
  await app.register(admittedRoutes(userRoutes(dds.client), parts.admission, "write"));
  await app.register(
    eventRoutes({ sink: events, metrics, rateLimitMax: config.eventsRateLimitMax, rateLimitWindowMs: config.eventsRateLimitWindowMs }),
  );
  await app.register(imageRoutes());
  await app.register(appRoutes, { prefix: "/app" });
  if (parts.contentChanges) await app.register(contentRoutes(parts.contentChanges));
  const readinessChecks = [
    layoutsLoaded(parts.layouts),
    ddsBreakersClosed(dds.breakerStates),
    ...(parts.redis ? [redisReachable(parts.redis)] : []),
    ...(parts.flagsInitialized ? [flagsInitialized(parts.flagsInitialized)] : []),
  ];
  await app.register(opsRoutes(metrics.registry, readinessChecks));
  // gRPC clients and probes speak HTTP/2: the h2c listener only.
  if (options.http2) await app.register(grpcOpsRoutes([PageService, ...(parts.layoutStore ? [LayoutService] : [])], readinessChecks));
  if (parts.layoutStore) {
    const admin = admittedLayoutAdmin(
      createLayoutAdmin({ store: parts.layoutStore, registry, compose: previewComposer(compositor, config.regionHeader), log: app.log }),
      parts.admission,
    );
    await app.register(layoutService({ admin, callerOf: (request) => request.identity }));
  }
  return { app, compositor, registry };
}
