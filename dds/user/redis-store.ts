/**
 * User data in Redis. Per user: a sorted set of history content ids scored by time, a hash of
 * their progress, and a sorted set of favorites scored by time. A user is seeded on first read,
 * guarded by a marker key so that concurrent instances seed once. A user's keys share a hash tag,
 * so that their transactions run on a Redis Cluster; different users' keys are in different slots.
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

export function createRedisUserStore(redis: RedisClient): UserStore {
  async function ensureSeeded(userIds: readonly string[]): Promise<void> {
    // One GET per user, not one MGET: the users' markers are in different slots.
    const markers = await Promise.all(userIds.map((id) => redis.get(keys(id).seeded)));
    const unseeded = userIds.filter((_, i) => markers[i] === null);
    for (const userId of unseeded) {
      const won = await redis.set(keys(userId).seeded, "1", "NX");
      if (won !== "OK") continue;
      const { history, favorites } = seedUserData(userId);
      const k = keys(userId);
      const tx = redis.multi();
      for (const entry of history) {
        tx.zadd(k.history, entry.updatedAtMs, entry.contentId);
        tx.hset(k.progress, entry.contentId, entry.progressPercent);
      }
      favorites.forEach((contentId, i) => tx.zadd(k.favorites, favorites.length - i, contentId));
      await tx.exec();
    }
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
      await ensureSeeded(userIds);
      return Promise.all(userIds.map(readHistory));
    },
    async getFavorites(userIds) {
      await ensureSeeded(userIds);
      return Promise.all(userIds.map((id) => redis.zrevrange(keys(id).favorites, 0, -1)));
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
