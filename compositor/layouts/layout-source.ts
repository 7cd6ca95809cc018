/** Where the compositor's published layouts come from: the layout store, held in memory, or a fixed set. */
import type { PublishedLayout } from "../../layout-service/model.ts";

export interface LayoutSource {
  getPublished(pageId: string): Promise<PublishedLayout | undefined>;
  /** Pages whose layout is in memory now: none means the instance cannot serve yet. */
  pageCount(): number;
  /** Calls `listener` after a newer version of a page is in memory (a publish, a rollback); a fixed set has none. */
  onUpdate?(listener: (pageId: string, version: number) => void): () => void;
}
