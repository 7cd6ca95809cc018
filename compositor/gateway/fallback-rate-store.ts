/**
 * Counts for @fastify/rate-limit in Redis, shared by every instance; while Redis is unreachable
 * (or a count fails), in this process instead: each instance then limits on its own, a caller gets
 * at most `max` per instance rather than no limit at all, and no request waits for Redis.
 */
import type { FastifyRateLimitStore } from "@fastify/rate-limit";
import { redisReady, type RedisClient } from "../../redis/client.ts";
import { MemoryRateStore } from "./memory-rate-store.ts";

/** KEYS: the caller's counter. ARGV: the window (ms). A new window starts with the first request. */
const INCREMENT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) return {current, tonumber(ARGV[1])} end
return {current, redis.call('PTTL', KEYS[1])}
`;

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** A store class as the plugin wants one (it constructs it), counting under `prefix` in `redis`. */
export function fallbackRateStore(
  redis: RedisClient,
  prefix: string,
  onFallback: (error: unknown) => void,
): new () => FastifyRateLimitStore {
  const memory = new MemoryRateStore();
  return class FallbackRateStore implements FastifyRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      if (!redisReady(redis)) return memory.incr(key, callback, timeWindow);
      (redis.eval(INCREMENT, 1, `${prefix}${key}`, timeWindow) as Promise<[number, number]>).then(
        ([current, ttl]) => callback(null, { current, ttl }),
        (error: unknown) => {
          onFallback(error);
          memory.incr(key, callback, timeWindow);
        },
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
