/**
 * The compositor's caches: widget output (public and persona scope) and whole anonymous pages,
 * in process and, for widgets, in Redis when configured. Keys carry the layout version and the
 * catalog's version, so a publish or a new catalog is never answered from an older entry; an
 * editorial change drops the entries that show its entity (content-freshness.ts).
 */
import { fromBinary } from "@bufbuild/protobuf";
import { LRUCache } from "lru-cache";
import type { RedisClient } from "../../redis/client.ts";
import { WidgetSchema, type Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Composition } from "../composition/composition.ts";
import { titleEntity } from "../../dds/content/changes.ts";
import { createContentFreshness, readRevisionsHeader, revisionsHeader, type ContentFreshness } from "./content-freshness.ts";
import { createEntityCache, type EntityCache } from "./entity-cache.ts";
import { createShownIndex, type ShownIndex } from "./shown-index.ts";
import { createUserWidgets, type UserWidgets } from "./user-widgets.ts";
import { createVaryCache, type VaryCache } from "./vary-cache.ts";

export interface CachedWidget {
  /** Shared by every page it goes into: never mutated. */
  widget: Widget;
  /** The widget encoded once, written into pages as is. */
  bytes: Uint8Array;
  /** The entities (titles, genre lists) it was built from. */
  entities: readonly string[];
  /** The cursor of the widget's next items, "" for none (a paging binder's `nextCursor`). */
  nextCursor: string;
}

export interface CachedPage {
  composition: Composition;
  /** Epoch ms after which the page's layout may resolve differently (a schedule boundary). */
  validUntil: number;
  /** The entities (titles, genre lists) its widgets were built from. */
  entities: readonly string[];
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
  /** Each user's last user-scoped widgets, reused while their binders fetch the same data. */
  userWidgets: UserWidgets;
  /** Whole pages of anonymous callers that hold no user-scoped widget. */
  pages: VaryCache<CachedPage>;
  /** Display entities (content, entitlements by plan) shared between requests. */
  entities: EntityCache;
  /** The version of the DDS data (e.g. the catalog's): part of every key. */
  dataVersion(): string;
  /** Applies the content-change stream's updates to everything above. */
  content: ContentFreshness;
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
  /** The memory bound of the user-scoped widgets kept (32 MiB by default). */
  maxUserWidgetBytes?: number;
  onError?(error: unknown): void;
}

/** The cache, recording in `index` which entries show which entities. */
function indexed<V extends { entities: readonly string[] }>(cache: VaryCache<V>, index: ShownIndex): VaryCache<V> {
  return {
    ...cache,
    async getRemote(base, flags) {
      const value = await cache.getRemote(base, flags);
      if (value) index.add(base, value.entities);
      return value;
    },
    set(base, reads, flags, value) {
      cache.set(base, reads, flags, value);
      index.add(base, value.entities);
    },
  };
}

const TITLE_PREFIX = titleEntity("");

/** A Redis entry's next cursor: its UTF-8 length (2 bytes), then its bytes. */
function cursorHeader(cursor: string): Buffer {
  const bytes = Buffer.from(cursor);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function readCursorHeader(bytes: Buffer): { nextCursor: string; body: Buffer } {
  if (bytes.length < 2 || bytes.readUInt16BE(0) > bytes.length - 2) throw new Error("a widget cache entry without its cursor header");
  const length = bytes.readUInt16BE(0);
  return { nextCursor: bytes.subarray(2, 2 + length).toString(), body: bytes.subarray(2 + length) };
}

export function createCompositionCache(options: CompositionCacheOptions): CompositionCache {
  const ttlSeconds = options.ttlSeconds ?? 300;
  const known = new LRUCache<string, true>({ max: options.maxWidgets ?? 20_000 });
  const shownByWidgets = createShownIndex();
  const shownByPages = createShownIndex();
  const content = createContentFreshness((entity) => {
    for (const base of shownByWidgets.showing(entity)) widgets.delete(base);
    for (const base of shownByPages.showing(entity)) pages.delete(base);
    if (entity.startsWith(TITLE_PREFIX)) entities.forgetContent(entity.slice(TITLE_PREFIX.length));
  });
  const widgets = indexed(
    createVaryCache<CachedWidget>({
      // v3: entries start with the revisions of the entities they show, then the next cursor. Another
      // name than older entries had, so that instances of both during a rolling deploy never read each other's.
      name: "widget:v3",
      maxEntries: options.maxWidgets ?? 20_000,
      ttlSeconds,
      maxStaleSeconds: options.maxStaleSeconds ?? 3600,
      onEvict: shownByWidgets.forget,
      remote: options.redis && {
        redis: options.redis,
        timeoutMs: options.redisTimeoutMs,
        encode: (value) => Buffer.concat([revisionsHeader(value.entities, content), cursorHeader(value.nextCursor), value.bytes]),
        decode(stored) {
          const fresh = readRevisionsHeader(stored, content);
          if (!fresh) return undefined;
          const { nextCursor, body } = readCursorHeader(fresh.body);
          return { widget: fromBinary(WidgetSchema, body), bytes: new Uint8Array(body), entities: fresh.entities, nextCursor };
        },
        onError: options.onError,
      },
    }),
    shownByWidgets,
  );
  const pages = indexed(
    createVaryCache<CachedPage>({ name: "page", maxEntries: options.maxPages ?? 2_000, ttlSeconds, onEvict: shownByPages.forget }),
    shownByPages,
  );
  const entities = createEntityCache();
  return {
    // With Redis another instance may have cached it: always look.
    mayHave: (widget) => options.redis !== undefined || known.has(widget),
    cachedForSomePlan: (widget) => void known.set(widget, true),
    lastPlans: new LRUCache<string, string>({ max: options.maxWidgets ?? 20_000 }),
    widgets,
    userWidgets: createUserWidgets(options.maxUserWidgetBytes ?? 32 * 1024 * 1024),
    pages,
    entities,
    dataVersion: options.dataVersion,
    content,
  };
}
