/** Published layouts read once from JSON files, one per page: `<dir>/<pageId>.json`. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pageLayoutSchema, type PublishedLayout } from "../../layout-service/model.ts";
import type { LayoutSource } from "./layout-source.ts";

export function loadLayoutFiles(dir: string): Map<string, PublishedLayout> {
  const layouts = new Map<string, PublishedLayout>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
    const layout = pageLayoutSchema.parse(JSON.parse(readFileSync(join(dir, file), "utf8")));
    layouts.set(layout.pageId, { layout, version: 1 });
  }
  return layouts;
}

export function createStaticLayoutSource(layouts: Map<string, PublishedLayout>): LayoutSource {
  return { getPublished: async (pageId) => layouts.get(pageId), pageCount: () => layouts.size };
}
