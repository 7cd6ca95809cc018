/**
 * Rate limiting (@fastify/rate-limit): per user for a verified token, per IP otherwise; counted
 * in Redis when the server has one, so every instance shares each caller's budget, and in the
 * process while that Redis is unreachable.
 */
import type { RateLimitPluginOptions } from "@fastify/rate-limit";
import type { FastifyRequest } from "fastify";
import { rateLimited } from "../../api/errors.ts";
import type { RedisClient } from "../../redis/client.ts";
import { redisKey } from "../../redis/keys.ts";
import { fallbackRateStore } from "./fallback-rate-store.ts";
import { MemoryRateStore } from "./memory-rate-store.ts";

export interface RateLimitSettings {
  /** Requests a caller may make per window; 0 turns limiting off. */
  max: number;
  windowMs: number;
  redis?: RedisClient;
  /** A count in Redis failed: counted in the process instead. */
  onRedisError?: (error: unknown) => void;
}

/** Routes that are not the API: probes, metrics, artwork. */
const UNLIMITED = /^\/(healthz|readyz|metrics|images\/)/;

/**
 * `user:<id>` for a caller whose token the gateway hook verified, else `ip:<address>`: a forged token
 * buys no budget. The hook runs first (an app-level onRequest hook precedes the limiter's route-level one).
 */
export async function rateLimitKey(request: FastifyRequest): Promise<string> {
  const identity = await request.identity.catch(() => undefined);
  return identity?.userId ? `user:${identity.userId}` : `ip:${request.ip}`;
}

export function rateLimitOptions(settings: RateLimitSettings): RateLimitPluginOptions {
  // One key per caller: the store's script runs on a Redis Cluster as on one Redis.
  const prefix = `${redisKey("rate-limit")}:`;
  return {
    global: true,
    max: settings.max,
    timeWindow: settings.windowMs,
    store: settings.redis ? fallbackRateStore(settings.redis, prefix, settings.onRedisError ?? (() => {})) : MemoryRateStore,
    keyGenerator: rateLimitKey,
    allowList: (request) => UNLIMITED.test(request.url),
    errorResponseBuilder: (_request, context) =>
      rateLimited(
        context.statusCode,
        `too many requests: at most ${context.max} per ${settings.windowMs / 1000} s; retry in ${context.after}`,
      ),
  };
}
