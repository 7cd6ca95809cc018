/**
 * A two-level cache of composed output: an in-process LRU, then Redis when given. Entries live
 * under a base key (everything the output depends on but flags) plus the values of the flags that
 * were read while it was made; a small index remembers, per base key, which flags those were.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import type { Flags } from "../../widget-registry/context.ts";
import { flagValues, type FlagRead } from "./flag-reads.ts";

export interface RemoteTier<V> {
  redis: Redis;
  encode(value: V): Buffer;
  decode(bytes: Buffer): V;
  /** A lookup slower than this counts as a miss: Redis must never slow a page down much. */
  timeoutMs?: number;
  onError?(error: unknown): void;
}

export interface VaryCacheOptions<V> {
  /** Prefix of the Redis keys, e.g. "widget". */
  name: string;
  maxEntries: number;
  ttlSeconds: number;
  remote?: RemoteTier<V>;
}

export interface VaryCache<V extends object> {
  /** The in-process entry for this request, if any. */
  get(base: string, flags: Flags): V | undefined;
  /** The Redis entry, copied into the process; undefined without Redis, on a miss or an error. */
  getRemote(base: string, flags: Flags): Promise<V | undefined>;
  /** Keeps `value`, made while `reads` were read from `flags`. */
  set(base: string, reads: readonly FlagRead[], flags: Flags, value: V): void;
  clear(): void;
}

const hash = (key: string) => createHash("sha1").update(key).digest("base64url");

export function createVaryCache<V extends object>(options: VaryCacheOptions<V>): VaryCache<V> {
  const vary = new LRUCache<string, readonly FlagRead[]>({ max: options.maxEntries });
  const entries = new LRUCache<string, V>({ max: options.maxEntries, ttl: options.ttlSeconds * 1000 });
  const remote = options.remote;
  const prefix = `tessera:${options.name}:`;
  const fullKey = (base: string, reads: readonly FlagRead[], flags: Flags) => `${base}|${flagValues(reads, flags)}`;

  async function remoteReads(base: string): Promise<readonly FlagRead[] | undefined> {
    const known = vary.get(base);
    if (known || !remote) return known;
    const stored = await remote.redis.get(`${prefix}vary:${hash(base)}`);
    if (stored === null) return undefined;
    const reads = JSON.parse(stored) as FlagRead[];
    vary.set(base, reads);
    return reads;
  }

  async function lookup(base: string, flags: Flags): Promise<V | undefined> {
    const reads = await remoteReads(base);
    if (!reads || !remote) return undefined;
    const key = fullKey(base, reads, flags);
    const bytes = await remote.redis.getBuffer(prefix + hash(key));
    if (bytes === null) return undefined;
    const value = remote.decode(bytes);
    entries.set(key, value);
    return value;
  }

  return {
    get(base, flags) {
      const reads = vary.get(base);
      return reads ? entries.get(fullKey(base, reads, flags)) : undefined;
    },
    async getRemote(base, flags) {
      if (!remote) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, remote.timeoutMs ?? 20, undefined);
      });
      try {
        return await Promise.race([lookup(base, flags), timeout]);
      } catch (error) {
        remote.onError?.(error);
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    },
    set(base, reads, flags, value) {
      const key = fullKey(base, reads, flags);
      vary.set(base, reads);
      entries.set(key, value);
      if (!remote) return;
      remote.redis
        .multi()
        .set(`${prefix}vary:${hash(base)}`, JSON.stringify(reads), "EX", options.ttlSeconds)
        .set(prefix + hash(key), remote.encode(value), "EX", options.ttlSeconds)
        .exec()
        .catch((error: unknown) => remote.onError?.(error));
    },
    clear() {
      vary.clear();
      entries.clear();
    },
  };
}
