/**
 * The entitlement DDS. Demo rule: every third user (u3, u6, ...) has a subscription; titles
 * released after 2005 need one, and show a "premium" badge to users without it.
 */
import { create } from "@bufbuild/protobuf";
import {
  BatchGetEntitlementsResponseSchema,
  BatchGetPlansResponseSchema,
  EntitlementSchema,
  type BatchGetEntitlementsRequest,
  type Entitlement,
  type BatchGetPlansRequest,
} from "../../protos/gen/tessera/dds/v1/entitlement_pb.js";
import { loadCatalog, type Catalog } from "../catalog/films.ts";

const PREMIUM_AFTER_YEAR = 2005;

export function hasSubscription(userId: string): boolean {
  const match = /^u(\d+)$/.exec(userId);
  return match !== null && Number(match[1]) % 3 === 0;
}

/** Entitlements depend on nothing of a user but this. */
const planOf = (userId: string) => (hasSubscription(userId) ? "subscriber" : "free");

export function createEntitlementService(catalog: Catalog = loadCatalog()) {
  // One entity per title and plan, built once and shared: callers treat entities as read-only. A map
  // per plan, keyed by the id as given: no key string built per lookup (a page asks for ~150).
  const entities = { subscribed: new Map<string, Entitlement>(), free: new Map<string, Entitlement>() };
  function entitlement(contentId: string, subscribed: boolean): Entitlement {
    const built = subscribed ? entities.subscribed : entities.free;
    let entity = built.get(contentId);
    if (!entity) {
      const premium = (catalog.byId.get(contentId)?.releaseYear ?? 0) > PREMIUM_AFTER_YEAR;
      const entitled = subscribed || !premium;
      entity = create(EntitlementSchema, { contentId, entitled, badge: entitled ? "" : "premium" });
      if (catalog.byId.has(contentId)) built.set(contentId, entity);
    }
    return entity;
  }

  return {
    async batchGetEntitlements(request: BatchGetEntitlementsRequest) {
      const subscribed = hasSubscription(request.userId);
      const entitlements = [...new Set(request.contentIds)].map((contentId) => entitlement(contentId, subscribed));
      return create(BatchGetEntitlementsResponseSchema, { entitlements, plan: planOf(request.userId) });
    },

    async batchGetPlans(request: BatchGetPlansRequest) {
      const plans = [...new Set(request.userIds)].map((userId) => ({ userId, plan: planOf(userId) }));
      return create(BatchGetPlansResponseSchema, { plans });
    },
  };
}
