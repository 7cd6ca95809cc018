/**
 * A two-level cache of composed output: an in-process LRU, then Redis when given. Entries live
 * under a base key (everything the output depends on but flags) plus the values of the flags that
 * were read while it was made; a small index remembers, per base key, which flags those were.
 * In Redis, a base key's index and entries share a hash tag, so they are written in one MULTI on a
 * Redis Cluster too.
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { RedisClient } from "../../redis/client.ts";
import { hashTag, redisKey } from "../../redis/keys.ts";
import type { Flags } from "../../widget-registry/context.ts";
import { flagValues, type FlagRead } from "./flag-reads.ts";

export interface RemoteTier<V> {
  redis: RedisClient;
  encode(value: V): Buffer;
  /** undefined when the stored entry may no longer be served (it counts as a miss). */
  decode(bytes: Buffer): V | undefined;
  /** A lookup slower than this counts as a miss: Redis must never slow a page down much. */
  timeoutMs?: number;
  onError?(error: unknown): void;
}

export interface VaryCacheOptions<V> {
  /** Prefix of the Redis keys, e.g. "widget". */
  name: string;
  maxEntries: number;
  ttlSeconds: number;
  /** How long past its TTL an in-process entry may still be had from `getStale` (0 by default). */
  maxStaleSeconds?: number;
  remote?: RemoteTier<V>;
  /** The in-process entries under `base` are gone (evicted or deleted). */
  onEvict?(base: string): void;
}

export interface VaryCache<V extends object> {
  /** The in-process entry for this request, if any. */
  get(base: string, flags: Flags): V | undefined;
  /** The in-process entry for this request even past its TTL, within the max stale. */
  getStale(base: string, flags: Flags): V | undefined;
  /** The Redis entry, copied into the process; undefined without Redis, on a miss or an error. */
  getRemote(base: string, flags: Flags): Promise<V | undefined>;
  /** Keeps `value`, made while `reads` were read from `flags`. */
  set(base: string, reads: readonly FlagRead[], flags: Flags, value: V): void;
  /** Drops the in-process entries under `base`. */
  delete(base: string): void;
  clear(): void;
}

const sameReads = (a: readonly FlagRead[], b: readonly FlagRead[]) =>
  a === b || (a.length === b.length && a.every((read, i) => read[0] === b[i]![0] && read[1] === b[i]![1] && read[2] === b[i]![2]));

const hash = (key: string) => createHash("sha1").update(key).digest("base64url");

interface Variants<V> {
  /** The flags read while the entries were made. */
  reads: readonly FlagRead[];
  /** By the values of those flags. */
  entries: Map<string, { value: V; expiresAt: number }>;
}

export function createVaryCache<V extends object>(options: VaryCacheOptions<V>): VaryCache<V> {
  // One LRU lookup per get, expiry checked by hand: a page makes a dozen lookups.
  const onEvict = options.onEvict;
  const bases = new LRUCache<string, Variants<V>>({
    max: options.maxEntries,
    ...(onEvict && { dispose: (_value: Variants<V>, base: string, reason: string) => reason !== "set" && onEvict(base) }),
  });
  const ttlMs = options.ttlSeconds * 1000;
  const maxStaleMs = (options.maxStaleSeconds ?? 0) * 1000;
  const remote = options.remote;
  /** `tessera:<name>:{<base>}:vary` and `tessera:<name>:{<base>}:<entry>`, hashed to a bounded length. */
  const keyOf = (base: string, entry: string) => redisKey(options.name, hashTag(hash(base)), entry);
  const fullKey = (base: string, reads: readonly FlagRead[], flags: Flags) => `${base}|${flagValues(reads, flags)}`;

  function keep(base: string, reads: readonly FlagRead[], values: string, value: V): void {
    let variants = bases.get(base);
    if (!variants || !sameReads(variants.reads, reads)) {
      // Other flags read this time: entries made with the old list are keyed by other values.
      variants = { reads, entries: new Map() };
      bases.set(base, variants);
    }
    variants.entries.set(values, { value, expiresAt: Date.now() + ttlMs });
  }

  async function remoteReads(base: string): Promise<readonly FlagRead[] | undefined> {
    const known = bases.get(base)?.reads;
    if (known || !remote) return known;
    const stored = await remote.redis.get(keyOf(base, "vary"));
    if (stored === null) return undefined;
    return JSON.parse(stored) as FlagRead[];
  }

  async function lookup(base: string, flags: Flags): Promise<V | undefined> {
    const reads = await remoteReads(base);
    if (!reads || !remote) return undefined;
    const bytes = await remote.redis.getBuffer(keyOf(base, hash(fullKey(base, reads, flags))));
    if (bytes === null) return undefined;
    const value = remote.decode(bytes);
    if (value === undefined) return undefined;
    keep(base, reads, flagValues(reads, flags), value);
    return value;
  }

  return {
    get(base, flags) {
      const variants = bases.get(base);
      if (!variants) return undefined;
      const entry = variants.entries.get(flagValues(variants.reads, flags));
      return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
    },
    getStale(base, flags) {
      const variants = bases.get(base);
      const entry = variants?.entries.get(flagValues(variants.reads, flags));
      return entry && entry.expiresAt + maxStaleMs > Date.now() ? entry.value : undefined;
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
      const values = flagValues(reads, flags);
      keep(base, reads, values, value);
      if (!remote) return;
      const key = `${base}|${values}`;
      remote.redis
        .multi()
        .set(keyOf(base, "vary"), JSON.stringify(reads), "EX", options.ttlSeconds)
        .set(keyOf(base, hash(key)), remote.encode(value), "EX", options.ttlSeconds)
        .exec()
        .catch((error: unknown) => remote.onError?.(error));
    },
    delete(base) {
      bases.delete(base);
    },
    clear() {
      bases.clear();
    },
  };
}
