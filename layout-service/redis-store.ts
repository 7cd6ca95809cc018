/**
 * The layout store on Redis or a Redis Cluster, shared by every instance. Each write is one Lua
 * script, so the check of the revision or version it was based on and the write itself are atomic
 * (no lost update). Publishing also appends to a stream in the same script; instances follow it,
 * resuming after the last entry they saw, and compare every page's version whenever they (re)start
 * reading, for what the stream cannot replay. All keys share one hash tag: on a cluster they live
 * in one slot, which the scripts need.
 *
 * Redis may lose its data (a restart without persistence, a FLUSHALL). A lineage key, a random id
 * written when the store starts a history, tells: every write script refuses to run without it, and
 * every read checks it first. Without it, the store writes back the published layouts the process
 * holds in memory (restoreFrom), at their versions, under a new lineage, then goes on; versions thus
 * continue from where they were, and compositors that held other versions see the new lineage and
 * take the store's. Drafts and older versions are lost with the data.
 */
import { duplicateRedis, type RedisClient } from "../redis/client.ts";
import { hashTag, redisKey } from "../redis/keys.ts";
import { followStream, type StreamFollower } from "../redis/stream-follower.ts";
import { randomUUID } from "node:crypto";
import { pageLayoutSchema, type PublishedLayout } from "./model.ts";
import { staleDraft, staleVersion, type LayoutStore, type StoreListener, type StoredDraft, type StoredVersion } from "./store.ts";

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

/** Write scripts answer this when the lineage key is gone: the data was lost since the last check. */
const LOST = "lost";

const SAVE_DRAFT = `
if redis.call('EXISTS', KEYS[4]) == 0 then return {'${LOST}', 0, 0} end
local revision = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if revision ~= tonumber(ARGV[2]) then return {'stale', revision} end
local based = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
redis.call('HSET', KEYS[1], 'revision', revision + 1, 'basedOnVersion', based, 'doc', ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
return {'ok', revision + 1, based}
`;

const PUBLISH = `
local lineage = redis.call('GET', KEYS[6])
if not lineage then return {'${LOST}', 0} end
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if current ~= tonumber(ARGV[2]) then return {'stale-version', current} end
if ARGV[3] ~= '' then
  local revision = tonumber(redis.call('HGET', KEYS[3], 'revision') or '0')
  if revision ~= tonumber(ARGV[3]) then return {'stale-draft', revision} end
end
redis.call('HSET', KEYS[2], current + 1, ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], current + 1)
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[5], '*', 'pageId', ARGV[1], 'version', current + 1, 'lineage', lineage)
return {'ok', current + 1}
`;

/**
 * Starts a lineage unless one exists (another instance restored first): its id, then what is held.
 * KEYS: lineage, current, pages, feed, then the versions hash of each page. ARGV: lineage id, feed
 * length, then per page its id, version and record.
 */
const RESTORE = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
for i = 0, #KEYS - 5 do
  local pageId, version = ARGV[3 + i * 3], ARGV[4 + i * 3]
  redis.call('HSET', KEYS[5 + i], version, ARGV[5 + i * 3])
  redis.call('HSET', KEYS[2], pageId, version)
  redis.call('SADD', KEYS[3], pageId)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'pageId', pageId, 'version', version, 'lineage', ARGV[1])
end
return ARGV[1]
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
    lineage: `${prefix}:lineage`,
  };
  let feed: StreamFollower | undefined;
  const listeners = new Set<StoreListener>();
  let held: () => ReadonlyMap<string, PublishedLayout> = () => new Map();
  let restoring: Promise<string> | undefined;

  /** Writes back what the process holds under a new lineage; concurrent callers share one restore. */
  function restore(): Promise<string> {
    restoring ??= (async () => {
      const pages = [...held()];
      const publishedAt = new Date().toISOString();
      const records = pages.map(([pageId, { layout, version }]): StoredVersion => ({
        pageId,
        version,
        layout,
        author: "tessera",
        publishedAt,
        message: "restored from a compositor's memory after the layout store lost its data",
      }));
      const lineage = (await redis.eval(
        RESTORE,
        4 + pages.length,
        keys.lineage,
        keys.current,
        keys.pages,
        keys.feed,
        ...pages.map(([pageId]) => keys.versions(pageId)),
        randomUUID(),
        FEED_LENGTH,
        ...records.flatMap((record) => [record.pageId, record.version, JSON.stringify(record)]),
      )) as string;
      if (pages.length > 0)
        onError(
          new Error(`the layout store had lost its data: restored ${pages.length} published layouts from memory (lineage ${lineage})`),
        );
      return lineage;
    })().finally(() => (restoring = undefined));
    return restoring;
  }

  /** The lineage, restoring first when the data was lost. */
  async function lineage(): Promise<string> {
    return (await redis.get(keys.lineage)) ?? (await restore());
  }

  /** Runs a write script; once more after a restore when it found the data lost. */
  async function write<T extends [string, ...unknown[]]>(run: () => Promise<T>): Promise<T> {
    const outcome = await run();
    if (outcome[0] !== LOST) return outcome;
    await restore();
    return run();
  }

  function follow(): StreamFollower {
    return followStream(duplicateRedis(redis, { onError, name: "tessera:layout-feed" }), keys.feed, {
      entry(_id, fields) {
        for (const listener of listeners) listener.published(fields.pageId!, Number(fields.version), fields.lineage ?? "");
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
    const [[scriptError, outcome], [, role]] = (await redis
      .pipeline()
      .eval(PUBLISH, 6, ...args)
      .role()
      .exec()) as [[Error | null, unknown], [Error | null, unknown[]]];
    if (scriptError) throw scriptError;
    const replicas = role?.[0] === "master" ? (role[2] as unknown[]).length : 0;
    if (replicas > 0 && (outcome as [string])[0] === "ok") {
      const waitMs = options.replicaWaitMs ?? 1000;
      const [, [waitError, acknowledged]] = (await redis.pipeline().exists(keys.current).wait(1, waitMs).exec()) as [
        unknown,
        [Error | null, number],
      ];
      if (waitError || acknowledged === 0)
        onError(waitError ?? new Error(`publish of ${pageId}: no replica confirmed it within ${waitMs} ms`));
    }
    return outcome as [string, number];
  }

  const store: LayoutStore = {
    async pageIds() {
      await lineage();
      return (await redis.smembers(keys.pages)).sort();
    },
    async current(pageId) {
      await lineage();
      const version = Number((await redis.hget(keys.current, pageId)) ?? 0);
      return version ? store.version(pageId, version) : undefined;
    },
    async version(pageId, version) {
      const json = await redis.hget(keys.versions(pageId), String(version));
      return json ? parseVersion(json) : undefined;
    },
    async history(pageId) {
      await lineage();
      const all = await redis.hvals(keys.versions(pageId));
      return all.map(parseVersion).sort((a, b) => b.version - a.version);
    },
    async draft(pageId) {
      await lineage();
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
      const [outcome, revision, basedOnVersion] = await write(
        () =>
          redis.eval(
            SAVE_DRAFT,
            4,
            keys.draft(input.pageId),
            keys.current,
            keys.pages,
            keys.lineage,
            input.pageId,
            input.baseRevision,
            doc,
          ) as Promise<[string, number, number]>,
      );
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
      const [outcome, actual] = await write(() =>
        publishWrite(input.pageId, [
          keys.current,
          keys.versions(input.pageId),
          keys.draft(input.pageId),
          keys.pages,
          keys.feed,
          keys.lineage,
          input.pageId,
          input.baseVersion,
          input.draftRevision ?? "",
          JSON.stringify(record),
          FEED_LENGTH,
        ]),
      );
      if (outcome === "stale-version") throw staleVersion(input.pageId, input.baseVersion, actual);
      if (outcome === "stale-draft") throw staleDraft(input.pageId, input.draftRevision ?? 0, actual);
      return record;
    },

    async publishedVersions() {
      // Both in one MULTI: the versions are those of the lineage read with them.
      const [[, id], [, all]] = (await redis.multi().get(keys.lineage).hgetall(keys.current).exec()) as [
        [unknown, string | null],
        [unknown, Record<string, string>],
      ];
      if (id === null) {
        await restore();
        return store.publishedVersions();
      }
      return { lineage: id, versions: new Map(Object.entries(all).map(([pageId, version]) => [pageId, Number(version)])) };
    },

    restoreFrom(source) {
      held = source;
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
