/**
 * User data in Redis. Per user: a sorted set of history content ids scored by time, a hash of
 * their progress, and a sorted set of favorites scored by time. A user is seeded on first read by
 * one script that sets a marker key and writes the seed, so that concurrent instances seed once and
 * none reads a half-written seed. A user's keys share a hash tag, so that the script and the
 * transactions run on a Redis Cluster; different users' keys are in different slots.
 */
import { hashTag, redisKey } from "../../redis/keys.ts";
import type { RedisClient } from "../../redis/client.ts";
import { seedUserData } from "./seed.ts";
import { COMPLETED_PERCENT, type HistoryEntryData, type UserStore } from "./store.ts";

const keys = (userId: string) => ({
  seeded: redisKey("user", hashTag(userId), "seeded"),
  history: redisKey("user", hashTag(userId), "history"),
  progress: redisKey("user", hashTag(userId), "progress"),
  favorites: redisKey("user", hashTag(userId), "favorites"),
});

/** KEYS: seeded, history, progress, favorites. ARGV: n, then n × (time, contentId, percent), then (score, contentId) per favorite. */
const SEED = `
if not redis.call('SET', KEYS[1], '1', 'NX') then return 0 end
local n = tonumber(ARGV[1])
for i = 0, n - 1 do
  redis.call('ZADD', KEYS[2], ARGV[2 + i * 3], ARGV[3 + i * 3])
  redis.call('HSET', KEYS[3], ARGV[3 + i * 3], ARGV[4 + i * 3])
end
for i = 2 + n * 3, #ARGV, 2 do redis.call('ZADD', KEYS[4], ARGV[i], ARGV[i + 1]) end
return 1
`;

/**
 * Reads while Redis is unreachable fail at once (no offline queue) with this, which names no
 * internal address or client detail: the widgets that need user data are left out with it.
 */
const unavailable = (): never => {
  throw new Error("user data is unavailable right now");
};

export function createRedisUserStore(redis: RedisClient): UserStore {
  async function ensureSeeded(userIds: readonly string[]): Promise<void> {
    // One GET per user, not one MGET: the users' markers are in different slots.
    const markers = await Promise.all(userIds.map((id) => redis.get(keys(id).seeded)));
    const unseeded = userIds.filter((_, i) => markers[i] === null);
    await Promise.all(
      unseeded.map((userId) => {
        const { history, favorites } = seedUserData(userId);
        const k = keys(userId);
        return redis.eval(
          SEED,
          4,
          k.seeded,
          k.history,
          k.progress,
          k.favorites,
          history.length,
          ...history.flatMap((entry) => [entry.updatedAtMs, entry.contentId, entry.progressPercent]),
          ...favorites.flatMap((contentId, i) => [favorites.length - i, contentId]),
        );
      }),
    );
  }

  async function readHistory(userId: string): Promise<HistoryEntryData[]> {
    const k = keys(userId);
    const idsWithScores = await redis.zrevrange(k.history, 0, -1, "WITHSCORES");
    const ids = idsWithScores.filter((_, i) => i % 2 === 0);
    if (ids.length === 0) return [];
    const progress = await redis.hmget(k.progress, ...ids);
    return ids.map((contentId, i) => ({
      contentId,
      progressPercent: Number(progress[i] ?? 0),
      updatedAtMs: Number(idsWithScores[i * 2 + 1]),
    }));
  }

  return {
    async getHistories(userIds) {
      await ensureSeeded(userIds).catch(unavailable);
      return Promise.all(userIds.map(readHistory)).catch(unavailable);
    },
    async getFavorites(userIds) {
      await ensureSeeded(userIds).catch(unavailable);
      return Promise.all(userIds.map((id) => redis.zrevrange(keys(id).favorites, 0, -1))).catch(unavailable);
    },
    async recordProgress(userId, contentId, progressPercent, atMs) {
      await ensureSeeded([userId]);
      const k = keys(userId);
      const tx = redis.multi();
      if (progressPercent >= COMPLETED_PERCENT) tx.zrem(k.history, contentId).hdel(k.progress, contentId);
      else tx.zadd(k.history, atMs, contentId).hset(k.progress, contentId, progressPercent);
      await tx.exec();
      return readHistory(userId);
    },
    async toggleFavorite(userId, contentId, atMs) {
      await ensureSeeded([userId]);
      const k = keys(userId);
      // Removing first tells, atomically, whether it was a favorite.
      const removed = await redis.zrem(k.favorites, contentId);
      if (removed > 0) return false;
      await redis.zadd(k.favorites, atMs, contentId);
      return true;
    },
    async close() {},
  };
}
