/** User data in process memory, seeded on first read of each user. */
import { seedUserData } from "./seed.ts";
import { COMPLETED_PERCENT, type UserData, type UserStore } from "./store.ts";

export function createMemoryUserStore(): UserStore {
  const users = new Map<string, UserData>();
  const userData = (userId: string): UserData => {
    let data = users.get(userId);
    if (!data) {
      data = seedUserData(userId);
      users.set(userId, data);
    }
    return data;
  };

  return {
    async getHistories(userIds) {
      return userIds.map((id) => userData(id).history.map((entry) => ({ ...entry })));
    },
    async getFavorites(userIds) {
      return userIds.map((id) => [...userData(id).favorites]);
    },
    async recordProgress(userId, contentId, progressPercent, atMs) {
      const data = userData(userId);
      const rest = data.history.filter((entry) => entry.contentId !== contentId);
      data.history = progressPercent >= COMPLETED_PERCENT ? rest : [{ contentId, progressPercent, updatedAtMs: atMs }, ...rest];
      return data.history.map((entry) => ({ ...entry }));
    },
    async toggleFavorite(userId, contentId) {
      const data = userData(userId);
      const isFavorite = data.favorites.includes(contentId);
      data.favorites = isFavorite ? data.favorites.filter((id) => id !== contentId) : [contentId, ...data.favorites];
      return !isFavorite;
    },
    async close() {},
  };
}
