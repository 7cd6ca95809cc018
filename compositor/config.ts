/** The server's configuration, from the environment; every setting has an embedded default. */
import { DEV_JWT_SECRET, TOKEN_AUDIENCE, TOKEN_ISSUER } from "./gateway/auth.ts";
import { DEV_PAGE_TOKEN_SECRET } from "./composition/page-token.ts";
import { parsePluginList } from "../widget-registry/plugins.ts";
import { redisSettingsFromEnv, type RedisSettings } from "../redis/settings.ts";
import type { AdmissionSettings } from "./admission/admission.ts";

/** How events are written to their Redis stream (compositor/events/redis-event-sink.ts). */
export interface EventStreamSettings {
  /** Entries the stream keeps, about (MAXLEN ~). */
  streamMaxLength: number;
  /** Events waiting to be written at most; more are dropped. */
  bufferMax: number;
  /** Deadline of each write to Redis. */
  writeTimeoutMs: number;
  /** How long a stopping server may take to write what is buffered. */
  flushTimeoutMs: number;
}

export interface Config {
  host: string;
  port: number;
  /** h2c listener for gRPC clients; 0 turns it off. */
  grpcPort: number;
  /** Base URL that image URLs in pages start with. */
  publicUrl: string;
  production: boolean;
  logLevel: string;
  /** HS256 secret of bearer tokens; "" accepts no HS256 token (production without JWT_SECRET). */
  jwtSecret: string;
  /** RS256/ES256 public keys of bearer tokens: the identity provider's JWKS URL, or a key file. */
  jwtJwksUrl?: string;
  jwtPublicKeyFile?: string;
  jwtIssuer: string;
  jwtAudience: string;
  /** HMAC-SHA256 secret of page tokens (load more, deferred widgets): the same on every instance. */
  pageTokenSecret: string;
  /** Header a trusted CDN sets to the viewer's country. */
  regionHeader: string;
  /** Shared state of all instances: one Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES), never both. */
  redis?: RedisSettings;
  /** Where the file layout store keeps its documents (without Redis). */
  layoutDataDir: string;
  /** Call the DDS over Connect at this URL instead of in process. */
  ddsUrl?: string;
  /** Simulated latency of every DDS call, for benchmarks. */
  ddsLatencyMs: number;
  /** Deadline of every DDS call (the remote transport's timeout too). */
  ddsTimeoutMs: number;
  /** Consecutive failed or timed-out calls to one DDS that open its circuit breaker. */
  ddsBreakerFailures: number;
  /** How long an open breaker fails calls fast before one probe call goes through. */
  ddsBreakerCoolDownMs: number;
  /** Caches widget output and anonymous pages (WIDGET_CACHE=off turns it off, e.g. to measure without). */
  widgetCache: boolean;
  /** How long cached output may live at most; keys already change with layouts and data. */
  cacheTtlSeconds: number;
  /** How long a widget lookup waits for Redis before composing instead. */
  cacheRedisTimeoutMs: number;
  /** How long past its TTL a widget is kept to be served, marked stale, when its data cannot be had. */
  cacheMaxStaleSeconds: number;
  /** How long a shared cache (a CDN, Varnish) keeps an anonymous page before it asks again (s-maxage, at most the page's max age). */
  edgeMaxAgeSeconds: number;
  /** Where purges of shared caches' copies go (Varnish xkey style: PURGE with an xkey-purge header); none when absent. */
  purgeUrl?: string;
  /** Connects the flags to LaunchDarkly; without it they come from `flagsFile`. */
  launchDarklySdkKey?: string;
  /** LaunchDarkly flags file for offline flags. */
  flagsFile?: string;
  /** External binder plugins (paths or npm packages), from TESSERA_PLUGINS, comma-separated. */
  plugins: string[];
  /** Requests per caller (user, or IP when anonymous) per window; 0 turns rate limiting off. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** POST /v1/events: batches per caller per window, apart from the API's budget (0: unlimited), and the Redis stream's writer. */
  eventsRateLimitMax: number;
  eventsRateLimitWindowMs: number;
  events: EventStreamSettings;
  /** fastify's trustProxy: whose X-Forwarded-For to believe for the caller's IP. */
  trustProxy: boolean | number | string;
  /** How long a stopping server waits for requests in flight before it exits regardless. */
  drainTimeoutMs: number;
  /** Load shedding (compositor/admission/); undefined with ADMISSION=off. */
  admission?: AdmissionSettings;
  /** A request's headers must arrive within this, its body within `requestTimeoutMs`, from its first byte. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/** A setting that must be a positive number: a start with a mistyped one fails, naming it. */
function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, not "${env[name]}"`);
  return value;
}

function trustProxyOf(value: string | undefined): boolean | number | string {
  if (!value || value === "false") return false;
  if (value === "true") return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  const host = env.HOST ?? "127.0.0.1";
  const production = env.NODE_ENV === "production";
  const jwtJwksUrl = env.JWT_JWKS_URL || undefined;
  const jwtPublicKeyFile = env.JWT_PUBLIC_KEY_FILE || undefined;
  const jwtSecret = env.JWT_SECRET ?? (production ? "" : DEV_JWT_SECRET);
  if (production && jwtSecret === DEV_JWT_SECRET) {
    throw new Error("JWT_SECRET must not be the development secret in production: it is public");
  }
  if (production && !jwtSecret && !jwtJwksUrl && !jwtPublicKeyFile) {
    throw new Error("production needs the keys of bearer tokens: JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE (RS256/ES256), or JWT_SECRET (HS256)");
  }
  const pageTokenSecret = env.PAGE_TOKEN_SECRET || (production ? "" : DEV_PAGE_TOKEN_SECRET);
  if (production && (!pageTokenSecret || pageTokenSecret === DEV_PAGE_TOKEN_SECRET)) {
    throw new Error("production needs PAGE_TOKEN_SECRET, a secret of its own shared by every instance: the development one is public");
  }
  return {
    host,
    port,
    grpcPort: Number(env.GRPC_PORT ?? 8081),
    publicUrl: env.PUBLIC_URL ?? `http://${host}:${port}`,
    production,
    logLevel: env.LOG_LEVEL ?? "info",
    jwtSecret,
    jwtJwksUrl,
    jwtPublicKeyFile,
    jwtIssuer: env.JWT_ISSUER ?? TOKEN_ISSUER,
    jwtAudience: env.JWT_AUDIENCE ?? TOKEN_AUDIENCE,
    pageTokenSecret,
    regionHeader: (env.REGION_HEADER ?? "cloudfront-viewer-country").toLowerCase(),
    redis: redisSettingsFromEnv(env),
    layoutDataDir: env.LAYOUT_DATA_DIR || ".data/layouts",
    ddsUrl: env.DDS_URL || undefined,
    ddsLatencyMs: Number(env.DDS_LATENCY_MS ?? 0),
    ddsTimeoutMs: Number(env.DDS_TIMEOUT_MS ?? 200),
    ddsBreakerFailures: Number(env.DDS_BREAKER_FAILURES ?? 5),
    ddsBreakerCoolDownMs: Number(env.DDS_BREAKER_COOLDOWN_MS ?? 1000),
    widgetCache: env.WIDGET_CACHE !== "off",
    cacheTtlSeconds: Number(env.CACHE_TTL_SECONDS ?? 300),
    cacheRedisTimeoutMs: Number(env.CACHE_REDIS_TIMEOUT_MS ?? 20),
    cacheMaxStaleSeconds: Number(env.CACHE_MAX_STALE_SECONDS ?? 3600),
    edgeMaxAgeSeconds: positive(env, "EDGE_MAX_AGE_SECONDS", 60),
    purgeUrl: env.PURGE_URL || undefined,
    launchDarklySdkKey: env.LAUNCHDARKLY_SDK_KEY || undefined,
    flagsFile: env.FLAGS_FILE || undefined,
    plugins: parsePluginList(env.TESSERA_PLUGINS),
    rateLimitMax: Number(env.RATE_LIMIT_MAX ?? 1200),
    rateLimitWindowMs: Number(env.RATE_LIMIT_WINDOW_MS ?? 60_000),
    eventsRateLimitMax: Number(env.EVENTS_RATE_LIMIT_MAX ?? 50),
    eventsRateLimitWindowMs: positive(env, "EVENTS_RATE_LIMIT_WINDOW_MS", 5_000),
    events: {
      streamMaxLength: positive(env, "EVENTS_STREAM_MAX_LENGTH", 1_000_000),
      bufferMax: positive(env, "EVENTS_BUFFER_MAX", 10_000),
      writeTimeoutMs: positive(env, "EVENTS_WRITE_TIMEOUT_MS", 500),
      flushTimeoutMs: positive(env, "EVENTS_FLUSH_TIMEOUT_MS", 2_000),
    },
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    drainTimeoutMs: Number(env.DRAIN_TIMEOUT_MS ?? 25_000),
    admission:
      env.ADMISSION === "off"
        ? undefined
        : {
            maxConcurrency: positive(env, "ADMISSION_MAX_CONCURRENCY", 64),
            targetMs: positive(env, "ADMISSION_TARGET_MS", 100),
            queueSize: positive(env, "ADMISSION_QUEUE", 32),
            queueTimeoutMs: positive(env, "ADMISSION_QUEUE_TIMEOUT_MS", 50),
            maxLoopDelayMs: positive(env, "ADMISSION_MAX_LOOP_DELAY_MS", 50),
          },
    headersTimeoutMs: Number(env.HEADERS_TIMEOUT_MS ?? 10_000),
    requestTimeoutMs: Number(env.REQUEST_TIMEOUT_MS ?? 15_000),
  };
}
