/** Builds every DDS of this process from its configuration. */
import { loadCatalog } from "./catalog/films.ts";
import { createContentService } from "./content/service.ts";
import { createEntitlementService } from "./entitlement/service.ts";
import { createRecoService } from "./reco/service.ts";
import { createMemoryUserStore } from "./user/memory-store.ts";
import { createRedisUserStore } from "./user/redis-store.ts";
import { createUserService } from "./user/service.ts";
import type { DdsImpls } from "./client.ts";
import type { RedisClient } from "../redis/client.ts";

export interface DdsOptions {
  imageBaseUrl: string;
  /** User data goes to Redis when given, else stays in memory. */
  redis?: RedisClient;
}

/** The version of the in-process DDS data: changes whenever the catalog does. */
export function ddsDataVersion(): string {
  return loadCatalog().version ?? "unversioned";
}

export function createDdsServices(options: DdsOptions): DdsImpls {
  const userStore = options.redis ? createRedisUserStore(options.redis) : createMemoryUserStore();
  return {
    content: createContentService({ imageBaseUrl: options.imageBaseUrl }),
    user: createUserService(userStore),
    reco: createRecoService(),
    entitlement: createEntitlementService(),
  };
}
