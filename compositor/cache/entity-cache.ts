/**
 * Display entities shared between requests: content per audience, entitlements per plan (the
 * entitlement DDS promises that users of one plan get the same entitlements). Keys carry the DDS
 * data version, so a data change is never answered from an older entity.
 */
import { LRUCache } from "lru-cache";
import type { Content } from "../../protos/gen/tessera/dds/v1/content_pb.js";
import type { Entitlement } from "../../protos/gen/tessera/dds/v1/entitlement_pb.js";

export interface EntityCache {
  /** `absent`: the DDS has no such content for that audience. */
  content: LRUCache<string, Content | { absent: true }>;
  entitlements: LRUCache<string, Entitlement>;
}

export function createEntityCache(maxEntries = 100_000, ttlSeconds = 300): EntityCache {
  return {
    content: new LRUCache({ max: maxEntries, ttl: ttlSeconds * 1000 }),
    entitlements: new LRUCache({ max: maxEntries, ttl: ttlSeconds * 1000 }),
  };
}
