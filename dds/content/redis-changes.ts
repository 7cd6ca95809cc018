/**
 * The content-change stream on Redis Streams (one Redis or a Redis Cluster). A publish is one Lua
 * script: the entity's state merged in the overlay hash, its sequence number taken from a counter,
 * the update appended to the stream (trimmed by length). A process follows the stream on one
 * connection of its own, resuming after the last entry it saw; whenever reading (re)starts, it reads
 * the overlay hash again, which covers what a stream cannot replay (entries trimmed away, a failover).
 * All keys share one hash tag, so on a cluster they live in one slot, as the script needs.
 */
import type { Catalog } from "../catalog/films.ts";
import { duplicateRedis, type RedisClient } from "../../redis/client.ts";
import { hashTag, redisKey } from "../../redis/keys.ts";
import { followStream, type StreamFollower } from "../../redis/stream-follower.ts";
import { patchOf, type ContentChanges, type ContentUpdate, type EntityState, type UpdateHandler } from "./changes.ts";

export interface RedisContentChangesOptions {
  /** Key prefix, holding the hash tag; tests give each stream its own. */
  prefix?: string;
  /** Updates kept in the stream; a follower further behind reads the overlay instead. */
  maxLength?: number;
  onError?: (error: unknown) => void;
}

export const CONTENT_KEY_PREFIX = redisKey(hashTag("content"));

const PUBLISH = `
local seq = redis.call('INCR', KEYS[2])
local current = redis.call('HGET', KEYS[1], ARGV[1])
local state = current and cjson.decode(current)['state'] or {}
for field, value in pairs(cjson.decode(ARGV[2])) do state[field] = value end
local update = cjson.encode({seq = seq, entity = ARGV[1], state = state})
redis.call('HSET', KEYS[1], ARGV[1], update)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'update', update)
return update
`;

/** cjson encodes an empty table as an array. */
function parseUpdate(json: string): ContentUpdate {
  const update = JSON.parse(json) as ContentUpdate;
  return Array.isArray(update.state) ? { ...update, state: {} as EntityState } : update;
}

/** The stream on `redis`, which stays the caller's: close() stops only the follower. */
export function createRedisContentChanges(redis: RedisClient, catalog: Catalog, options: RedisContentChangesOptions = {}): ContentChanges {
  const prefix = options.prefix ?? CONTENT_KEY_PREFIX;
  const keys = { overlay: `${prefix}:overlay`, seq: `${prefix}:seq`, stream: `${prefix}:changes` };
  const onError = options.onError ?? (() => {});
  const handlers: UpdateHandler[] = [];
  let follower: StreamFollower | undefined;
  let firstSync: Promise<void> | undefined;

  const deliver = (update: ContentUpdate) => {
    for (const handler of handlers) handler(update);
  };

  async function snapshot(): Promise<ContentUpdate[]> {
    return Object.values(await redis.hgetall(keys.overlay))
      .map(parseUpdate)
      .sort((a, b) => a.seq - b.seq);
  }

  /** Every entity's state, retried until Redis answers (the follower retries its reads meanwhile too). */
  async function resync(): Promise<void> {
    while (follower) {
      try {
        (await snapshot()).forEach(deliver);
        return;
      } catch (error) {
        onError(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  function start(): Promise<void> {
    return new Promise((resolve) => {
      follower = followStream(
        duplicateRedis(redis, { onError, name: "tessera:content-changes" }),
        keys.stream,
        {
          entry(_id, fields) {
            if (fields.update) deliver(parseUpdate(fields.update));
          },
          // Reading (re)starts after the position it took: the overlay holds everything before it.
          resumed() {
            void resync().then(resolve);
          },
          error: onError,
        },
        { blockMs: 2_000 },
      );
    });
  }

  return {
    async publish(change) {
      const { entity, patch } = patchOf(change, catalog);
      const json = (await redis.eval(
        PUBLISH,
        3,
        keys.overlay,
        keys.seq,
        keys.stream,
        entity,
        JSON.stringify(patch),
        options.maxLength ?? 10_000,
      )) as string;
      return parseUpdate(json);
    },
    async follow(handler) {
      handlers.push(handler);
      if (firstSync) {
        await firstSync;
        (await snapshot()).forEach(handler);
        return;
      }
      firstSync = start();
      await firstSync;
    },
    async close() {
      handlers.length = 0;
      follower?.stop();
      follower = undefined;
    },
  };
}
