/** The user DDS: watch history and favorites, batch reads and single-user writes. */
import { create } from "@bufbuild/protobuf";
import {
  RecordProgressResponseSchema,
  ToggleFavoriteResponseSchema,
  type BatchGetFavoritesRequest,
  type BatchGetFavoritesResponse,
  type BatchGetHistoryRequest,
  type BatchGetHistoryResponse,
  type HistoryEntry,
  type RecordProgressRequest,
  type ToggleFavoriteRequest,
} from "../../protos/gen/tessera/dds/v1/user_pb.js";
import { invalidArgument } from "../errors.ts";
import type { UserStore } from "./store.ts";

export function createUserService(store: UserStore, now: () => number = Date.now) {
  return {
    // The batch reads answer every signed-in page: their messages are literals, every field set,
    // which is what create() would build without its reflection.
    async batchGetHistory(request: BatchGetHistoryRequest): Promise<BatchGetHistoryResponse> {
      const histories = await store.getHistories(request.userIds);
      return {
        $typeName: "tessera.dds.v1.BatchGetHistoryResponse",
        histories: request.userIds.map((userId, i) => ({
          $typeName: "tessera.dds.v1.UserHistory",
          userId,
          entries: histories[i]!.map(toEntry),
        })),
      };
    },

    async batchGetFavorites(request: BatchGetFavoritesRequest): Promise<BatchGetFavoritesResponse> {
      const favorites = await store.getFavorites(request.userIds);
      return {
        $typeName: "tessera.dds.v1.BatchGetFavoritesResponse",
        favorites: request.userIds.map((userId, i) => ({ $typeName: "tessera.dds.v1.UserFavorites", userId, contentIds: favorites[i]! })),
      };
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

function toEntry(entry: { contentId: string; progressPercent: number; updatedAtMs: number }): HistoryEntry {
  return {
    $typeName: "tessera.dds.v1.HistoryEntry",
    contentId: entry.contentId,
    progressPercent: entry.progressPercent,
    updatedAtMs: BigInt(entry.updatedAtMs),
  };
}
