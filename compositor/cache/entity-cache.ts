/**
 * Display entities shared between requests: content per audience, entitlements per plan (the
 * entitlement DDS promises that users of one plan get the same entitlements). Buckets are named
 * by the DDS data version, so a data change is never answered from an older entity.
 */
import type { RequestContext } from "../../widget-registry/context.ts";
import { dimensionsKey } from "../../widget-registry/request-dimensions.ts";
import { LRUCache } from "lru-cache";
import type { Content } from "../../protos/gen/tessera/dds/v1/content_pb.js";
import type { Entitlement } from "../../protos/gen/tessera/dds/v1/entitlement_pb.js";

/** The DDS has no such content for that audience. */
export interface Absent {
  absent: true;
}

/**
 * Entities by id within buckets (an audience, a plan): a page looks up ~60 entities, and a lookup
 * by the id string alone is much cheaper than one by a long key built for each lookup.
 */
export interface EntityCache {
  content(bucket: string): Map<string, Content | Absent>;
  entitlements(bucket: string): Map<string, Entitlement>;
  /** Drops a title from every content bucket (an editorial change). */
  forgetContent(id: string): void;
}

export function createEntityCache(maxBuckets = 256): EntityCache {
  const buckets =
    <V>(cache: LRUCache<string, Map<string, V>>) =>
    (name: string) => {
      let bucket = cache.get(name);
      if (!bucket) {
        bucket = new Map();
        cache.set(name, bucket);
      }
      return bucket;
    };
  const contents = new LRUCache<string, Map<string, Content | Absent>>({ max: maxBuckets });
  return {
    content: buckets(contents),
    entitlements: buckets(new LRUCache<string, Map<string, Entitlement>>({ max: maxBuckets })),
    forgetContent(id) {
      for (const bucket of contents.values()) bucket.delete(id);
    },
  };
}

/** The content bucket of a request: content differs by every dimension the table sends to the content DDS. */
export function contentBucket(dataVersion: string, ctx: RequestContext): string {
  return `${dataVersion}\u0001${dimensionsKey(ctx, "content")}`;
}

/** The entitlement bucket of a plan: the entitlement DDS answers every user of a plan alike. */
export function entitlementBucket(dataVersion: string, plan: string): string {
  return `${dataVersion}\u0001${plan}`;
}
