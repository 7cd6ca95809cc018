/** First start: publish every seed layout (`seed/<pageId>.json`) the store does not have yet. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pageLayoutSchema } from "./model.ts";
import { StaleWriteError, type LayoutStore } from "./store.ts";

export const SEED_DIR = join(import.meta.dirname, "seed");

export async function seedStore(store: LayoutStore, dir = SEED_DIR, now = () => new Date()): Promise<string[]> {
  const seeded: string[] = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith(".json")).sort()) {
    const layout = pageLayoutSchema.parse(JSON.parse(await readFile(join(dir, file), "utf8")));
    if (await store.current(layout.pageId)) continue;
    try {
      await store.publish({
        pageId: layout.pageId,
        layout,
        baseVersion: 0,
        author: "seed",
        publishedAt: now().toISOString(),
        message: `seeded from ${file}`,
      });
      seeded.push(layout.pageId);
    } catch (error) {
      // Another instance sharing the store seeded it first.
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
  return seeded;
}
