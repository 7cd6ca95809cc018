/**
 * The compositor's view of published layouts: every page's current version held in memory, so
 * resolving a page does no I/O. Kept current by the store's publish notifications, and by a full
 * version check on start and whenever the store says notifications may have been missed.
 */
import type { PublishedLayout } from "../../layout-service/model.ts";
import type { LayoutSource } from "./layout-source.ts";
import type { LayoutStore } from "../../layout-service/store.ts";

export interface PublishedLayouts extends LayoutSource {
  /** pageId → version held now. */
  versions(): Map<string, number>;
  /** Calls `listener` after a newer version of a page is in memory. */
  onUpdate(listener: (pageId: string, version: number) => void): () => void;
  close(): void;
}

export interface PublishedLayoutsOptions {
  onError?: (error: unknown) => void;
  /**
   * Also compare versions this often (one read of the store), in case a notification came while a
   * read failed; 0 for never. Notifications, not this, are what makes a publish show at once.
   */
  checkEveryMs?: number;
}

export async function createPublishedLayouts(store: LayoutStore, options: PublishedLayoutsOptions = {}): Promise<PublishedLayouts> {
  const onError = options.onError ?? (() => {});
  const layouts = new Map<string, PublishedLayout>();
  const listeners = new Set<(pageId: string, version: number) => void>();

  async function refresh(pageId: string): Promise<void> {
    const record = await store.current(pageId);
    if (!record) return;
    // Notifications and reads may overtake each other: never go back to an older version.
    if ((layouts.get(pageId)?.version ?? 0) >= record.version) return;
    layouts.set(pageId, { layout: record.layout, version: record.version });
    for (const listener of listeners) listener(pageId, record.version);
  }

  async function resync(): Promise<void> {
    const versions = await store.publishedVersions();
    await Promise.all(
      [...versions].filter(([pageId, version]) => (layouts.get(pageId)?.version ?? 0) < version).map(([pageId]) => refresh(pageId)),
    );
  }

  const unwatch = store.watch({
    published(pageId, version) {
      if ((layouts.get(pageId)?.version ?? 0) < version) refresh(pageId).catch(onError);
    },
    resync() {
      resync().catch(onError);
    },
  });
  await resync();
  const timer = options.checkEveryMs ? setInterval(() => resync().catch(onError), options.checkEveryMs) : undefined;
  timer?.unref();

  return {
    getPublished: async (pageId) => layouts.get(pageId),
    pageCount: () => layouts.size,
    versions: () => new Map([...layouts].map(([pageId, published]) => [pageId, published.version])),
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(timer);
      unwatch();
    },
  };
}
