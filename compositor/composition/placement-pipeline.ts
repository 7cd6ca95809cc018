/**
 * One placement, from resolved to settled: the widget cache, when the caller's plan is at hand
 * (entitlement-plan.ts); else the binder, under its guard rails; the widget encoded once, and kept
 * in the cache when its scope allows. Pages, streams and previews all compose their placements here.
 * When the widget's display data cannot be had (its binder failed or timed out, or a DDS call failed
 * while it ran), a public or persona widget is served from its last good output, kept past its TTL
 * within the max stale and marked stale; without one it is left out, its reason naming the DDS only.
 */
import { clone } from "@bufbuild/protobuf";
import { WidgetSchema } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { RequestContext } from "../../widget-registry/context.ts";
import type { WidgetRegistry } from "../../widget-registry/registry.ts";
import { runBinder, type ReuseBound } from "../binder-runtime.ts";
import type { CachedWidget } from "../cache/composition-cache.ts";
import { flagValues, recordFlagReads } from "../cache/flag-reads.ts";
import type { UserWidgets } from "../cache/user-widgets.ts";
import type { VaryCache } from "../cache/vary-cache.ts";
import type { RequestDds } from "../dds-facade.ts";
import { ddsFailureMessage } from "../dds-guard/dds-unavailable.ts";
import type { CompositorHooks } from "../hooks.ts";
import type { ResolvedPlacement } from "../layouts/resolver.ts";
import { tracePlacement } from "../telemetry/composition-spans.ts";
import { tracingEnabled } from "../telemetry/tracing.ts";
import { compactWidget } from "../compact-items.ts";
import { encodeWidget } from "../widget-encoding.ts";
import type { PlanKeys, SharedScope } from "./entitlement-plan.ts";
import { omittedSlot, type SlotSink } from "./slot.ts";

/** What every request's placements share. */
export interface PipelineParts {
  registry: WidgetRegistry;
  hooks: Required<CompositorHooks>;
}

/** The widget cache as one request sees it. */
export interface RequestWidgetCache {
  widgets: VaryCache<CachedWidget>;
  userWidgets: UserWidgets;
  plans: PlanKeys;
  /** False once content changed since the request started: its output then must not be kept. */
  fresh(): boolean;
}

/** What the placements of one request share. */
export interface PlacementRequest {
  ctx: RequestContext;
  dds: RequestDds;
  /** Absent when widgets are composed fresh (a preview). */
  cache?: RequestWidgetCache;
  /** Takes the slot when it settles (a sink rather than a result: a stream sends it at once, without another await). */
  sink: SlotSink;
  /** Collects the entities (titles, genre lists) of every widget, when the page is to be kept. */
  shown?: Set<string>;
  /** Items in the compact form, images relative to this base ("" for none): for clients that derive them. */
  compact?: { imageBaseUrl: string };
}

/** Settles one placement into `request.sink`; never rejects (a failing binder settles to an omission). */
export function composePlacement(parts: PipelineParts, request: PlacementRequest, placement: ResolvedPlacement): Promise<void> {
  if (!tracingEnabled) return settlePlacement(parts, request, placement);
  const cacheable = request.cache !== undefined && parts.registry.get(placement.type)!.cacheScope !== "user";
  return tracePlacement(placement, cacheable, request, (traced) => settlePlacement(parts, traced, placement));
}

async function settlePlacement(parts: PipelineParts, request: PlacementRequest, placement: ResolvedPlacement): Promise<void> {
  const { ctx, sink } = request;
  const { hooks } = parts;
  const binder = parts.registry.get(placement.type)!;
  const started = performance.now();
  const scope = binder.cacheScope;
  const cache = scope === "user" ? undefined : request.cache;
  const sharedScope = scope as SharedScope; // read only where `cache` is set

  // 1. The cache, when the plan that keys the widget is known or worth asking for first.
  const anyPlanKey = cache?.plans.anyPlanKey(placement, sharedScope);
  let key: string | undefined;
  if (cache && cache.plans.lookUpFirst(anyPlanKey)) {
    const plan = cache.plans.known ?? (await cache.plans.ask());
    key = plan === undefined ? undefined : cache.plans.key(placement, sharedScope, plan);
    const hit = key === undefined ? undefined : (cache.widgets.get(key, ctx.flags) ?? (await cache.widgets.getRemote(key, ctx.flags)));
    hooks.cacheLookup({ ctx, layer: "widget", type: placement.type, hit: hit !== undefined });
    if (hit) {
      if (request.shown) for (const entity of hit.entities) request.shown.add(entity);
      sink.settle({
        position: placement.position,
        essential: placement.essential,
        bindMs: 0,
        widget: hit.widget,
        bytes: hit.bytes,
        nextCursor: hit.nextCursor,
        scope,
        fromCache: true,
      });
      hooks.widgetSettled({ ctx, type: placement.type, outcome: "ok", durationMs: performance.now() - started, ddsCalls: 0, cached: true });
      return;
    }
  }

  // 2. The binder; when its output may be kept, the flags it reads are recorded (they vary its entry).
  // Its facade loads nothing once its deadline has passed.
  const deadline = new AbortController();
  // What it loads is recorded only for output that is kept: in the widget cache, or in a page that names it.
  const dds = request.dds.forBinder(deadline.signal, cache !== undefined || request.shown !== undefined);
  const { scheduler } = request.dds;
  const failuresBefore = scheduler.failures;
  // A signed-in caller's user-scoped widget is never shared, but its last output is reused while its binder fetches the same data.
  const userWidgets = scope === "user" && ctx.userId ? request.cache?.userWidgets : undefined;
  const userKey = userWidgets && request.cache!.plans.userKey(placement);
  const reuse: ReuseBound | undefined =
    userWidgets &&
    ((data) => {
      const kept = scheduler.failures > failuresBefore ? undefined : userWidgets.reuse(userKey!, data, dds.recoRequestId ?? "", ctx.flags);
      hooks.cacheLookup({ ctx, layer: "user-widget", type: placement.type, hit: kept !== undefined });
      return kept;
    });
  const recorder = cache || userWidgets ? recordFlagReads(ctx.flags) : undefined;
  const result = await runBinder(binder, placement, recorder ? { ...ctx, flags: recorder } : ctx, dds, deadline, reuse);
  hooks.widgetSettled({
    ctx,
    type: placement.type,
    outcome: result.outcome,
    durationMs: result.durationMs,
    ddsCalls: dds.calls,
    cached: false,
  });
  const ddsFailed = scheduler.failures > failuresBefore;
  if (cache && (ddsFailed || result.outcome === "error" || result.outcome === "timeout")) {
    const stale = staleCopy(cache, placement, sharedScope, ctx);
    if (stale) {
      sink.settle({ position: placement.position, essential: placement.essential, bindMs: result.bindMs, ...stale, scope, degraded: true });
      return;
    }
  }
  if (result.outcome !== "ok") {
    // A binder may swallow a DDS failure and come back empty: that is a failure too, and never an address.
    const reason = ddsFailed && result.outcome === "empty" ? "error" : result.outcome;
    const message = ddsFailed ? ddsFailureMessage(scheduler.lastFailure) : result.message;
    sink.settle(omittedSlot({ ...placement, reason, message }, result.bindMs));
    return;
  }
  // The compact form for the clients that derive deep links and image URLs, before it is encoded and kept.
  const widget = request.compact && !result.bytes ? compactWidget(result.widget, request.compact.imageBaseUrl) : result.widget;
  if (ddsFailed) {
    // Made from partial data: served, never kept.
    sink.settle({
      position: placement.position,
      essential: placement.essential,
      bindMs: result.bindMs,
      widget,
      bytes: result.bytes ?? encodeWidget(widget, "pooled"),
      nextCursor: result.nextCursor,
      scope,
      degraded: true,
    });
    return;
  }

  // 3. Encoded once: the bytes go into this page and, kept, into every page that shares the widget.
  const bytes = result.bytes ?? encodeWidget(widget, cache || userWidgets ? "owned" : "pooled");
  if (userWidgets && recorder && !result.bytes && request.cache!.fresh()) {
    const { data, nextCursor } = result;
    const reads = [...recorder.reads];
    userWidgets.keep(userKey!, {
      data,
      recoRequestId: dds.recoRequestId ?? "",
      reads,
      flagValues: flagValues(reads, ctx.flags),
      widget,
      bytes,
      nextCursor,
    });
  }
  if (request.shown) for (const entity of dds.shown) request.shown.add(entity);
  if (cache && recorder) {
    const plan = cache.plans.told() ?? (await cache.plans.ask());
    key ??= plan === undefined ? undefined : cache.plans.key(placement, sharedScope, plan);
    if (key !== undefined && cache.fresh())
      cache.widgets.set(key, recorder.reads, ctx.flags, { widget, bytes, entities: [...dds.shown], nextCursor: result.nextCursor });
    cache.plans.cachedForSomePlan(anyPlanKey);
  }
  sink.settle({
    position: placement.position,
    essential: placement.essential,
    bindMs: result.bindMs,
    widget,
    bytes,
    nextCursor: result.nextCursor,
    scope,
  });
}

/** The widget's last good output, past its TTL within the max stale, marked stale; undefined when there is none. */
function staleCopy(
  cache: RequestWidgetCache,
  placement: ResolvedPlacement,
  scope: SharedScope,
  ctx: RequestContext,
): CachedWidget | undefined {
  const key = cache.plans.staleKey(placement, scope);
  const kept = key === undefined ? undefined : cache.widgets.getStale(key, ctx.flags);
  if (!kept) return undefined;
  const widget = clone(WidgetSchema, kept.widget);
  widget.stale = true;
  return { widget, bytes: encodeWidget(widget), entities: kept.entities, nextCursor: kept.nextCursor };
}
