/**
 * The compositor's view of published layouts: every page's current version held in memory, so
 * resolving a page does no I/O. Kept current by the store's publish notifications, and by a full
 * version check on start and whenever the store says notifications may have been missed. Versions
 * only go up within one lineage of the store; when the lineage changes (the store lost its data and
 * was restored or seeded again), every page takes the store's layout, whatever its version. What
 * is held is also what the store restores from.
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
  /** After a failed read (the store unreachable), compare versions again this soon, until one succeeds. */
  retryMs?: number;
}

export async function createPublishedLayouts(store: LayoutStore, options: PublishedLayoutsOptions = {}): Promise<PublishedLayouts> {
  const onError = options.onError ?? (() => {});
  const layouts = new Map<string, PublishedLayout>();
  const listeners = new Set<(pageId: string, version: number) => void>();
  let lineage: string | undefined;
  /** Pages held from an earlier lineage of the store: any version of the current one replaces them. */
  const carried = new Set<string>();
  const older = (pageId: string, version: number) => carried.has(pageId) || (layouts.get(pageId)?.version ?? 0) < version;

  async function refresh(pageId: string): Promise<void> {
    const record = await store.current(pageId);
    // Notifications and reads may overtake each other: never go back to an older version.
    if (!record || !older(pageId, record.version)) return;
    layouts.set(pageId, { layout: record.layout, version: record.version });
    carried.delete(pageId);
    for (const listener of listeners) listener(pageId, record.version);
  }

  async function resync(): Promise<void> {
    const current = await store.publishedVersions();
    if (lineage !== undefined && current.lineage !== lineage) for (const pageId of layouts.keys()) carried.add(pageId);
    lineage = current.lineage;
    await Promise.all([...current.versions].filter(([pageId, version]) => older(pageId, version)).map(([pageId]) => refresh(pageId)));
  }

  let retry: NodeJS.Timeout | undefined;
  /** A read failed: whatever it was for may have been missed, so compare everything, again and again until that works. */
  function failed(error: unknown): void {
    onError(error);
    retry ??= setTimeout(() => {
      retry = undefined;
      resync().catch(failed);
    }, options.retryMs ?? 1_000);
    retry.unref();
  }

  store.restoreFrom?.(() => layouts);
  const unwatch = store.watch({
    published(pageId, version, from) {
      if (from !== lineage) resync().catch(failed);
      else if (older(pageId, version)) refresh(pageId).catch(failed);
    },
    resync() {
      resync().catch(failed);
    },
  });
  await resync();
  const timer = options.checkEveryMs ? setInterval(() => resync().catch(failed), options.checkEveryMs) : undefined;
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
      clearTimeout(retry);
      unwatch();
    },
  };
}
