/** Where user data lives: in memory by default, in Redis with REDIS_URL or REDIS_CLUSTER_NODES. */

export interface HistoryEntryData {
  contentId: string;
  progressPercent: number;
  updatedAtMs: number;
}

export interface UserData {
  /** Most recently watched first. */
  history: HistoryEntryData[];
  /** Most recently added first. */
  favorites: string[];
}

export interface UserStore {
  getHistories(userIds: readonly string[]): Promise<HistoryEntryData[][]>;
  getFavorites(userIds: readonly string[]): Promise<string[][]>;
  /** Sets a title's progress; 100 or more removes it from the history. Returns the new history. */
  recordProgress(userId: string, contentId: string, progressPercent: number, atMs: number): Promise<HistoryEntryData[]>;
  /** Returns whether the title is a favorite afterwards. */
  toggleFavorite(userId: string, contentId: string, atMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export const COMPLETED_PERCENT = 100;
