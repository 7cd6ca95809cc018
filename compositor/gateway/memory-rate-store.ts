/**
 * In-process counts for @fastify/rate-limit (without Redis). The plugin's own LocalStore answers
 * every request of a key with the same mutable object, so requests in flight together all read
 * the last count and are all refused; this store answers each with its own snapshot.
 */
import type { FastifyRateLimitStore } from "@fastify/rate-limit";
import { LRUCache } from "lru-cache";

interface Window {
  count: number;
  startMs: number;
}

export class MemoryRateStore implements FastifyRateLimitStore {
  readonly #windows = new LRUCache<string, Window>({ max: 50_000 });

  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
    const now = Date.now();
    let window = this.#windows.get(key);
    if (!window || window.startMs + timeWindow <= now) {
      window = { count: 0, startMs: now };
      this.#windows.set(key, window);
    }
    window.count += 1;
    callback(null, { current: window.count, ttl: window.startMs + timeWindow - now });
  }

  child(): FastifyRateLimitStore {
    return this;
  }
}
