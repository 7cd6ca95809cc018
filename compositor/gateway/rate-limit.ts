/**
 * Rate limiting (@fastify/rate-limit): per user for a verified token, per IP otherwise; counted
 * in Redis when the server has one, so every instance shares each caller's budget.
 */
import type { RateLimitPluginOptions } from "@fastify/rate-limit";
import type { FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { ApiError } from "./api-error.ts";
import type { TokenVerifier } from "./auth.ts";
import { MemoryRateStore } from "./memory-rate-store.ts";

export interface RateLimitSettings {
  /** Requests a caller may make per window; 0 turns limiting off. */
  max: number;
  windowMs: number;
  redis?: Redis;
  tokens: TokenVerifier;
}

/** Routes that are not the API: probes, metrics, artwork. */
const UNLIMITED = /^\/(healthz|readyz|metrics|images\/)/;

/** `user:<id>` for a caller whose token verifies, else `ip:<address>`: a forged token buys no budget. */
export async function rateLimitKey(request: FastifyRequest, tokens: TokenVerifier): Promise<string> {
  const { authorization } = request.headers;
  if (authorization) {
    const identity = await tokens.identify(authorization, undefined).catch(() => undefined);
    if (identity?.userId) return `user:${identity.userId}`;
  }
  return `ip:${request.ip}`;
}

export function rateLimitOptions(settings: RateLimitSettings): RateLimitPluginOptions {
  return {
    global: true,
    max: settings.max,
    timeWindow: settings.windowMs,
    ...(settings.redis ? { redis: settings.redis } : { store: MemoryRateStore }),
    nameSpace: "tessera:rate-limit:",
    // Pages matter more than limits: with Redis unreachable, requests go unlimited rather than fail.
    skipOnError: true,
    keyGenerator: (request) => rateLimitKey(request, settings.tokens),
    allowList: (request) => UNLIMITED.test(request.url),
    errorResponseBuilder: (_request, context) =>
      new ApiError(context.statusCode, "rate-limited", `too many requests: at most ${context.max} per ${settings.windowMs / 1000} s; retry in ${context.after}`),
  };
}
