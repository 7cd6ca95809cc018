/** The layout store a server runs on: Redis when it has one, else the file store; seeded on first start. */
import type { RedisClient } from "../redis/client.ts";
import { createFileStore } from "./file-store.ts";
import { createRedisStore } from "./redis-store.ts";
import { seedStore } from "./seed.ts";
import type { LayoutStore } from "./store.ts";

export interface StoreSettings {
  /** The file store's directory. */
  dataDir: string;
  /** One Redis or a Redis Cluster; stays open when the store closes. */
  redis?: RedisClient;
  onError?: (error: unknown) => void;
}

export async function openLayoutStore(settings: StoreSettings): Promise<LayoutStore> {
  const store = settings.redis
    ? await createRedisStore(settings.redis, { onError: settings.onError })
    : await createFileStore(settings.dataDir);
  await seedStore(store);
  return store;
}
