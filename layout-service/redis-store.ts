/**
 * The layout store on Redis or a Redis Cluster, shared by every instance. Each write is one Lua
 * script, so the check of the revision or version it was based on and the write itself are atomic
 * (no lost update). Publishing also appends to a stream in the same script; instances follow it,
 * resuming after the last entry they saw, and compare every page's version whenever they (re)start
 * reading, for what the stream cannot replay. All keys share one hash tag: on a cluster they live
 * in one slot, which the scripts need.
 */
import { duplicateRedis, type RedisClient } from "../redis/client.ts";
import { hashTag, redisKey } from "../redis/keys.ts";
import { followStream, type StreamFollower } from "../redis/stream-follower.ts";
import { pageLayoutSchema } from "./model.ts";
import {
  staleDraft,
  staleVersion,
  type LayoutStore,
  type StoreListener,
  type StoredDraft,
  type StoredVersion,
} from "./store.ts";

export interface RedisStoreOptions {
  /** Key prefix, holding the hash tag; tests give each store its own. */
  prefix?: string;
  onError?: (error: unknown) => void;
  /**
   * When the master has replicas (a cluster's, or one Redis's), a publish is answered once a replica
   * has it too (WAIT 1), waiting at most this long: replication is asynchronous, and a master that
   * fails right after a write would otherwise take an acknowledged version with it.
   */
  replicaWaitMs?: number;
}

/** Publish notifications kept in the stream; an instance further behind compares versions instead. */
const FEED_LENGTH = 1000;

const SAVE_DRAFT = `
local revision = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if revision ~= tonumber(ARGV[2]) then return {'stale', revision} end
local based = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
redis.call('HSET', KEYS[1], 'revision', revision + 1, 'basedOnVersion', based, 'doc', ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
return {'ok', revision + 1, based}
`;

const PUBLISH = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if current ~= tonumber(ARGV[2]) then return {'stale-version', current} end
if ARGV[3] ~= '' then
  local revision = tonumber(redis.call('HGET', KEYS[3], 'revision') or '0')
  if revision ~= tonumber(ARGV[3]) then return {'stale-draft', revision} end
end
redis.call('HSET', KEYS[2], current + 1, ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], current + 1)
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[5], '*', 'pageId', ARGV[1], 'version', current + 1)
return {'ok', current + 1}
`;

function parseVersion(json: string): StoredVersion {
  const record = JSON.parse(json) as StoredVersion;
  return { ...record, layout: pageLayoutSchema.parse(record.layout) };
}

export const LAYOUT_KEY_PREFIX = redisKey(hashTag("layouts"));

/** The store on `redis`, which stays the caller's: close() stops only what the store started. */
export async function createRedisStore(redis: RedisClient, options: RedisStoreOptions = {}): Promise<LayoutStore> {
  const prefix = options.prefix ?? LAYOUT_KEY_PREFIX;
  const onError = options.onError ?? (() => {});
  const keys = {
    current: `${prefix}:current`,
    pages: `${prefix}:pages`,
    versions: (pageId: string) => `${prefix}:versions:${pageId}`,
    draft: (pageId: string) => `${prefix}:draft:${pageId}`,
    feed: `${prefix}:published`,
  };
  let feed: StreamFollower | undefined;
  const listeners = new Set<StoreListener>();

  function follow(): StreamFollower {
    return followStream(duplicateRedis(redis, { onError, name: "tessera:layout-feed" }), keys.feed, {
      entry(_id, fields) {
        for (const listener of listeners) listener.published(fields.pageId!, Number(fields.version));
      },
      resumed() {
        for (const listener of listeners) listener.resync?.();
      },
      error: onError,
    });
  }

  /**
   * The publish script, then, when the master that ran it has replicas, WAIT until one has the
   * write. Pipelines go to one node: on a cluster, the master of the keys' slot.
   */
  async function publishWrite(pageId: string, args: Array<string | number>): Promise<[string, number]> {
    const [[scriptError, outcome], [, role]] = (await redis.pipeline().eval(PUBLISH, 5, ...args).role().exec()) as [[Error | null, unknown], [Error | null, unknown[]]];
    if (scriptError) throw scriptError;
    const replicas = role?.[0] === "master" ? (role[2] as unknown[]).length : 0;
    if (replicas > 0 && (outcome as [string])[0] === "ok") {
      const waitMs = options.replicaWaitMs ?? 1000;
      const [, [waitError, acknowledged]] = (await redis.pipeline().exists(keys.current).wait(1, waitMs).exec()) as [unknown, [Error | null, number]];
      if (waitError || acknowledged === 0) onError(waitError ?? new Error(`publish of ${pageId}: no replica confirmed it within ${waitMs} ms`));
    }
    return outcome as [string, number];
  }

  const store: LayoutStore = {
    async pageIds() {
      return (await redis.smembers(keys.pages)).sort();
    },
    async current(pageId) {
      const version = Number((await redis.hget(keys.current, pageId)) ?? 0);
      return version ? store.version(pageId, version) : undefined;
    },
    async version(pageId, version) {
      const json = await redis.hget(keys.versions(pageId), String(version));
      return json ? parseVersion(json) : undefined;
    },
    async history(pageId) {
      const all = await redis.hvals(keys.versions(pageId));
      return all.map(parseVersion).sort((a, b) => b.version - a.version);
    },
    async draft(pageId) {
      const fields = await redis.hgetall(keys.draft(pageId));
      if (!fields.doc) return undefined;
      const doc = JSON.parse(fields.doc) as Pick<StoredDraft, "layout" | "author" | "savedAt">;
      return {
        pageId,
        layout: pageLayoutSchema.parse(doc.layout),
        revision: Number(fields.revision),
        basedOnVersion: Number(fields.basedOnVersion),
        author: doc.author,
        savedAt: doc.savedAt,
      };
    },

    async saveDraft(input) {
      const doc = JSON.stringify({ layout: input.layout, author: input.author, savedAt: input.savedAt });
      const [outcome, revision, basedOnVersion] = (await redis.eval(
        SAVE_DRAFT, 3, keys.draft(input.pageId), keys.current, keys.pages,
        input.pageId, input.baseRevision, doc,
      )) as [string, number, number];
      if (outcome !== "ok") throw staleDraft(input.pageId, input.baseRevision, revision);
      return { pageId: input.pageId, layout: input.layout, revision, basedOnVersion, author: input.author, savedAt: input.savedAt };
    },

    async publish(input) {
      const record: StoredVersion = {
        pageId: input.pageId,
        version: input.baseVersion + 1,
        layout: input.layout,
        author: input.author,
        publishedAt: input.publishedAt,
        message: input.message,
        ...(input.rolledBackFrom !== undefined ? { rolledBackFrom: input.rolledBackFrom } : {}),
      };
      const [outcome, actual] = await publishWrite(input.pageId, [
        keys.current, keys.versions(input.pageId), keys.draft(input.pageId), keys.pages, keys.feed,
        input.pageId, input.baseVersion, input.draftRevision ?? "", JSON.stringify(record), FEED_LENGTH,
      ]);
      if (outcome === "stale-version") throw staleVersion(input.pageId, input.baseVersion, actual);
      if (outcome === "stale-draft") throw staleDraft(input.pageId, input.draftRevision ?? 0, actual);
      return record;
    },

    async publishedVersions() {
      const all = await redis.hgetall(keys.current);
      return new Map(Object.entries(all).map(([pageId, version]) => [pageId, Number(version)]));
    },

    watch(listener) {
      listeners.add(listener);
      feed ??= follow();
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      feed?.stop();
    },
  };
  return store;
}
