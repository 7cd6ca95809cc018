/** The user DDS: watch history and favorites, batch reads and single-user writes. */
import { create } from "@bufbuild/protobuf";
import {
  BatchGetFavoritesResponseSchema,
  BatchGetHistoryResponseSchema,
  RecordProgressResponseSchema,
  ToggleFavoriteResponseSchema,
  type BatchGetFavoritesRequest,
  type BatchGetHistoryRequest,
  type RecordProgressRequest,
  type ToggleFavoriteRequest,
} from "../../protos/gen/tessera/dds/v1/user_pb.js";
import { invalidArgument } from "../errors.ts";
import type { UserStore } from "./store.ts";

export function createUserService(store: UserStore, now: () => number = Date.now) {
  return {
    async batchGetHistory(request: BatchGetHistoryRequest) {
      const histories = await store.getHistories(request.userIds);
      return create(BatchGetHistoryResponseSchema, {
        histories: request.userIds.map((userId, i) => ({ userId, entries: histories[i]!.map(toEntry) })),
      });
    },

    async batchGetFavorites(request: BatchGetFavoritesRequest) {
      const favorites = await store.getFavorites(request.userIds);
      return create(BatchGetFavoritesResponseSchema, {
        favorites: request.userIds.map((userId, i) => ({ userId, contentIds: favorites[i]! })),
      });
    },

    async recordProgress(request: RecordProgressRequest) {
      requireIds(request);
      if (request.progressPercent < 0) throw invalidArgument("progress_percent", "must be 0 or more");
      const entries = await store.recordProgress(request.userId, request.contentId, request.progressPercent, now());
      return create(RecordProgressResponseSchema, { history: { userId: request.userId, entries: entries.map(toEntry) } });
    },

    async toggleFavorite(request: ToggleFavoriteRequest) {
      requireIds(request);
      const favorite = await store.toggleFavorite(request.userId, request.contentId, now());
      return create(ToggleFavoriteResponseSchema, { favorite });
    },
  };
}

function requireIds(request: { userId: string; contentId: string }): void {
  if (!request.userId) throw invalidArgument("user_id", "is required");
  if (!request.contentId) throw invalidArgument("content_id", "is required");
}

function toEntry(entry: { contentId: string; progressPercent: number; updatedAtMs: number }) {
  return { contentId: entry.contentId, progressPercent: entry.progressPercent, updatedAtMs: BigInt(entry.updatedAtMs) };
}
