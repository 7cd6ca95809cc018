/**
 * The compositor's caches: widget output (public and persona scope) and whole anonymous pages,
 * in process and, for widgets, in Redis when configured. Keys carry the layout version and the
 * DDS data version, so a publish or a data change is never answered from an older entry.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { LRUCache } from "lru-cache";
import type { RedisClient } from "../../redis/client.ts";
import { WidgetSchema, type Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Composition } from "../composition/composition.ts";
import { createEntityCache, type EntityCache } from "./entity-cache.ts";
import { createVaryCache, type VaryCache } from "./vary-cache.ts";

export interface CachedWidget {
  /** Shared by every page it goes into: never mutated. */
  widget: Widget;
  /** The widget encoded once, written into pages as is. */
  bytes: Uint8Array;
}

export interface CachedPage {
  composition: Composition;
  /** Epoch ms after which the page's layout may resolve differently (a schedule boundary). */
  validUntil: number;
}

export interface CompositionCache {
  widgets: VaryCache<CachedWidget>;
  /**
   * Widgets (keyed without the entitlement plan) that may be cached for some plan. Only for those
   * is a signed-in caller's plan looked up before the widget; others are composed at once and
   * learn the plan from their own entitlement call, which costs no extra DDS call or wave.
   */
  mayHave(widget: string): boolean;
  /** Records that `widget` has been cached for some plan. */
  cachedForSomePlan(widget: string): void;
  /** The last plan learnt for a signed-in user: keys their stale widgets when the DDS cannot tell it. */
  lastPlans: LRUCache<string, string>;
  /** Whole pages of anonymous callers that hold no user-scoped widget. */
  pages: VaryCache<CachedPage>;
  /** Display entities (content, entitlements by plan) shared between requests. */
  entities: EntityCache;
  /** The version of the DDS data (e.g. the catalog's): part of every key. */
  dataVersion(): string;
}

export interface CompositionCacheOptions {
  dataVersion: () => string;
  redis?: RedisClient;
  ttlSeconds?: number;
  /** How long a lookup waits for Redis (20 ms by default). */
  redisTimeoutMs?: number;
  /** How long past the TTL widgets are kept to be served stale when their data cannot be had. */
  maxStaleSeconds?: number;
  maxWidgets?: number;
  maxPages?: number;
  onError?(error: unknown): void;
}

export function createCompositionCache(options: CompositionCacheOptions): CompositionCache {
  const ttlSeconds = options.ttlSeconds ?? 300;
  const known = new LRUCache<string, true>({ max: options.maxWidgets ?? 20_000 });
  return {
    // With Redis another instance may have cached it: always look.
    mayHave: (widget) => options.redis !== undefined || known.has(widget),
    cachedForSomePlan: (widget) => void known.set(widget, true),
    lastPlans: new LRUCache<string, string>({ max: options.maxWidgets ?? 20_000 }),
    widgets: createVaryCache<CachedWidget>({
      name: "widget",
      maxEntries: options.maxWidgets ?? 20_000,
      ttlSeconds,
      maxStaleSeconds: options.maxStaleSeconds ?? 3600,
      remote: options.redis && {
        redis: options.redis,
        timeoutMs: options.redisTimeoutMs,
        encode: (value) => Buffer.from(value.bytes),
        decode: (bytes) => ({ widget: fromBinary(WidgetSchema, bytes), bytes: new Uint8Array(bytes) }),
        onError: options.onError,
      },
    }),
    pages: createVaryCache<CachedPage>({ name: "page", maxEntries: options.maxPages ?? 2_000, ttlSeconds }),
    entities: createEntityCache(),
    dataVersion: options.dataVersion,
  };
}
