/**
 * Which entitlement plan keys a widget's cache entry, and when to ask for the plan first. Tiles
 * carry the caller's entitlement badges, so public and persona output is shared only between
 * callers of one plan. An anonymous caller's plan is known without asking. A signed-in caller's is
 * asked for before the widget only when the widget may be cached for some plan; otherwise the
 * widget is composed at once and the plan learnt from its own entitlement call, which costs no
 * extra DDS call or wave.
 */
import type { RequestContext } from "../../widget-registry/context.ts";
import type { CacheScope } from "../../widget-registry/sdk.ts";
import type { CompositionCache } from "../cache/composition-cache.ts";
import { requestKey, scopedRequestKey, widgetKey } from "../cache/widget-key.ts";
import { dimensionsKey, KEY_SEPARATOR } from "../../widget-registry/request-dimensions.ts";
import type { RequestDds } from "../dds-facade.ts";
import type { ResolvedLayout, ResolvedPlacement } from "../layouts/resolver.ts";

/** The entitlement plan of anonymous callers. */
export const ANONYMOUS_PLAN = "anonymous";
/** The plan part of a widget's key for "cached for some plan". */
const ANY_PLAN = "";

export type SharedScope = Exclude<CacheScope, "user">;

export interface PlanKeysOptions {
  ctx: RequestContext;
  layout: ResolvedLayout;
  cache: CompositionCache;
  dataVersion: string;
  dds: RequestDds;
  /** Whether the request's items are in the compact form. */
  compact: boolean;
}

/** One request's plan keys. */
export class PlanKeys {
  /** The caller's plan when it is known without asking: an anonymous caller's. */
  readonly known: string | undefined;
  readonly #ctx: RequestContext;
  readonly #layout: ResolvedLayout;
  readonly #dataVersion: string;
  readonly #cache: CompositionCache;
  readonly #dds: RequestDds;
  readonly #compact: boolean;
  /** The rest of widget keys after the placement's part, built once per plan and scope. */
  readonly #requestParts = new Map<string, { public: string; persona: string }>();

  constructor({ ctx, layout, cache, dataVersion, dds, compact }: PlanKeysOptions) {
    this.known = ctx.userId ? undefined : ANONYMOUS_PLAN;
    this.#ctx = ctx;
    this.#layout = layout;
    this.#dataVersion = dataVersion;
    this.#cache = cache;
    this.#dds = dds;
    this.#compact = compact;
  }

  /** A widget's key under `plan`. */
  key(placement: ResolvedPlacement, scope: SharedScope, plan: string): string {
    let parts = this.#requestParts.get(plan);
    if (parts === undefined) {
      const part = requestKey({ ctx: this.#ctx, layout: this.#layout, plan, dataVersion: this.#dataVersion, compact: this.#compact });
      parts = { public: scopedRequestKey("public", this.#ctx, part), persona: scopedRequestKey("persona", this.#ctx, part) };
      this.#requestParts.set(plan, parts);
      if (this.#ctx.userId && plan !== ANY_PLAN) this.#cache.lastPlans.set(this.#ctx.userId, plan);
    }
    return widgetKey(placement, parts[scope]);
  }

  /**
   * A signed-in caller's user-scoped widget's key: the user (the id's length first, so that no id runs
   * into the next part), every request dimension (a user-scoped binder never promised to read only
   * some), and all a persona widget's key holds but the plan (its tiles carry that).
   */
  userKey(placement: ResolvedPlacement): string {
    const user = this.#ctx.userId;
    return `${user.length}:${user}${KEY_SEPARATOR}${dimensionsKey(this.#ctx, "page")}${KEY_SEPARATOR}${this.key(placement, "persona", ANY_PLAN)}`;
  }

  /** The widget's key under the plan known now, else the caller's last known plan: for a stale copy when the DDS cannot tell. */
  staleKey(placement: ResolvedPlacement, scope: SharedScope): string | undefined {
    const plan = this.told() ?? this.#cache.lastPlans.get(this.#ctx.userId);
    return plan === undefined ? undefined : this.key(placement, scope, plan);
  }

  /** A signed-in caller's key of the widget without the plan; undefined when the plan is known. */
  anyPlanKey(placement: ResolvedPlacement, scope: SharedScope): string | undefined {
    return this.known === undefined ? this.key(placement, scope, ANY_PLAN) : undefined;
  }

  /** Whether to have the plan before composing the widget, to look the widget up under it. */
  lookUpFirst(anyPlanKey: string | undefined): boolean {
    return anyPlanKey === undefined || this.#cache.mayHave(anyPlanKey);
  }

  /** The plan, from the DDS (batched into the wave like any load); undefined when it cannot tell. */
  ask(): Promise<string | undefined> {
    return this.#dds.plan();
  }

  /** The plan when it is known without waiting: an anonymous caller's, or told by an entitlement call of this request. */
  told(): string | undefined {
    return this.known ?? this.#dds.knownPlan();
  }

  /** Records that the widget keyed `anyPlanKey` is now cached for the caller's plan. */
  cachedForSomePlan(anyPlanKey: string | undefined): void {
    if (anyPlanKey !== undefined) this.#cache.cachedForSomePlan(anyPlanKey);
  }
}
