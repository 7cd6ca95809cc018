/** The content-change stream of a process, and the DDS overlay that follows it. */
import { loadCatalog } from "../catalog/films.ts";
import type { RedisClient } from "../../redis/client.ts";
import type { ContentChanges } from "./changes.ts";
import { createMemoryContentChanges } from "./memory-changes.ts";
import { createContentOverlay, type ContentOverlay } from "./overlay.ts";
import { createRedisContentChanges } from "./redis-changes.ts";

/** On Redis when given (every instance sees every change), else in this process only. */
export function openContentChanges(redis: RedisClient | undefined, onError: (error: unknown) => void): ContentChanges {
  return redis ? createRedisContentChanges(redis, loadCatalog(), { onError }) : createMemoryContentChanges(loadCatalog());
}

/** An overlay that applies every change of `changes`; resolves once it holds the current state. */
export async function followedOverlay(changes: ContentChanges): Promise<ContentOverlay> {
  const overlay = createContentOverlay();
  await changes.follow(overlay.apply);
  return overlay;
}
