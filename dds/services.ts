/** Builds every DDS of this process from its configuration. */
import type { Redis } from "ioredis";
import { createContentService } from "./content/service.ts";
import { createEntitlementService } from "./entitlement/service.ts";
import { createRecoService } from "./reco/service.ts";
import { createMemoryUserStore } from "./user/memory-store.ts";
import { createRedisUserStore } from "./user/redis-store.ts";
import { createUserService } from "./user/service.ts";
import type { DdsImpls } from "./client.ts";

export interface DdsOptions {
  imageBaseUrl: string;
  /** User data goes to Redis when given, else stays in memory. */
  redis?: Redis;
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
