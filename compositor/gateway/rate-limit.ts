/**
 * Rate limiting (@fastify/rate-limit): per user for a verified token, per IP otherwise; counted
 * in Redis when the server has one, so every instance shares each caller's budget, and in the
 * process while that Redis is unreachable.
 */
import type { RateLimitPluginOptions } from "@fastify/rate-limit";
import type { FastifyRequest, RouteShorthandOptions } from "fastify";
import { rateLimited } from "../../api/errors.ts";
import type { RedisClient } from "../../redis/client.ts";
import { redisKey } from "../../redis/keys.ts";
import { fallbackRateStore } from "./fallback-rate-store.ts";
import { MemoryRateStore } from "./memory-rate-store.ts";

export interface RateLimitSettings {
  /** Requests a caller may make per window; 0 turns limiting off (routes with a budget of their own keep it). */
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

const refusal = (max: number, windowMs: number) => (_request: FastifyRequest, context: { statusCode: number; after: string }) =>
  rateLimited(context.statusCode, `too many requests: at most ${max} per ${windowMs / 1000} s; retry in ${context.after}`);

/**
 * A route's own budget, apart from the API's: each caller (as rateLimitKey) may make `max` requests of
 * the route per window. `group` keeps its counts apart from the API's. Counted only when the server
 * registered the rate limiter (rateLimitOptions).
 */
export function routeRateLimit(group: string, max: number, windowMs: number): RouteShorthandOptions["config"] {
  return { rateLimit: { max, timeWindow: windowMs, groupId: `:${group}`, errorResponseBuilder: refusal(max, windowMs) } };
}

export function rateLimitOptions(settings: RateLimitSettings): RateLimitPluginOptions {
  // One key per caller: the store's script runs on a Redis Cluster as on one Redis.
  const prefix = `${redisKey("rate-limit")}:`;
  return {
    global: settings.max > 0,
    max: settings.max,
    timeWindow: settings.windowMs,
    store: settings.redis ? fallbackRateStore(settings.redis, prefix, settings.onRedisError ?? (() => {})) : MemoryRateStore,
    keyGenerator: rateLimitKey,
    allowList: (request) => UNLIMITED.test(request.url),
    errorResponseBuilder: refusal(settings.max, settings.windowMs),
  };
}
