/**
 * The layout store on Redis, shared by every instance. Each write is one Lua script, so the
 * check of the revision or version it was based on and the write itself are atomic (no lost
 * update). Publishing also PUBLISHes on a channel in the same script; instances subscribe, and
 * compare every page's version after each (re)subscription, so a message missed while
 * disconnected cannot leave an instance stale. All keys share one hash tag, so the scripts also
 * run on Redis Cluster.
 */
import { Redis } from "ioredis";
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
  /** Key prefix; tests give each store its own. */
  prefix?: string;
  onError?: (error: unknown) => void;
}

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
redis.call('PUBLISH', ARGV[5], ARGV[6])
return {'ok', current + 1}
`;

function parseVersion(json: string): StoredVersion {
  const record = JSON.parse(json) as StoredVersion;
  return { ...record, layout: pageLayoutSchema.parse(record.layout) };
}

export async function createRedisStore(url: string, options: RedisStoreOptions = {}): Promise<LayoutStore> {
  const prefix = options.prefix ?? "tessera:{layouts}";
  const onError = options.onError ?? (() => {});
  const keys = {
    current: `${prefix}:current`,
    pages: `${prefix}:pages`,
    versions: (pageId: string) => `${prefix}:versions:${pageId}`,
    draft: (pageId: string) => `${prefix}:draft:${pageId}`,
    channel: `${prefix}:published`,
  };
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on("error", onError);
  await redis.connect();
  let subscriber: Redis | undefined;
  const listeners = new Set<StoreListener>();

  async function startSubscriber(): Promise<void> {
    subscriber = new Redis(url, { lazyConnect: true, autoResubscribe: false });
    subscriber.on("error", onError);
    subscriber.on("message", (_channel: string, message: string) => {
      const { pageId, version } = JSON.parse(message) as { pageId: string; version: number };
      for (const listener of listeners) listener.published(pageId, version);
    });
    // On every (re)connection: subscribe, and once subscribed, have listeners compare versions,
    // covering whatever was published while the connection was down.
    subscriber.on("ready", () => {
      subscriber!
        .subscribe(keys.channel)
        .then(() => {
          for (const listener of listeners) listener.resync?.();
        })
        .catch(onError);
    });
    await subscriber.connect();
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
      const [outcome, actual] = (await redis.eval(
        PUBLISH, 4, keys.current, keys.versions(input.pageId), keys.draft(input.pageId), keys.pages,
        input.pageId, input.baseVersion, input.draftRevision ?? "", JSON.stringify(record),
        keys.channel, JSON.stringify({ pageId: input.pageId, version: record.version }),
      )) as [string, number];
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
      if (!subscriber) startSubscriber().catch(onError);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      subscriber?.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
  return store;
}
