/**
 * What Tessera purges, and when: a page's every copy once this instance holds a newly published (or
 * rolled back) version of its layout, and the copies showing an entity once this instance applied
 * a content change to it. Purging after the instance applied the change means a refetch the purge
 * causes gets the new page from it.
 */
import type { ContentChanges } from "../../dds/content/changes.ts";
import { entityKey, MANY_ENTITIES_KEY, pageKey } from "../http/surrogate-keys.ts";
import type { LayoutSource } from "../layouts/layout-source.ts";
import type { Purger } from "./purger.ts";

/** Purges on every publish the layout source hears of; returns how to stop. */
export function purgeOnPublish(layouts: LayoutSource, purger: Purger): () => void {
  return layouts.onUpdate?.((pageId) => void purger.purge("publish", [pageKey(pageId)])) ?? (() => {});
}

/**
 * Purges on every content change from now on. The stream starts with every entity's current state,
 * and replays it after a reconnect: only an update newer than any seen is a change to purge.
 */
export async function purgeOnContentChange(changes: ContentChanges, purger: Purger): Promise<void> {
  let live = false;
  let newest = 0;
  await changes.follow((update) => {
    if (live && update.seq > newest) void purger.purge("content", [entityKey(update.entity), MANY_ENTITIES_KEY]);
    newest = Math.max(newest, update.seq);
  });
  live = true;
}
