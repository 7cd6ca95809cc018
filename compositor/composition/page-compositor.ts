/**
 * PageCompositor: resolves a page's layout for the request, runs every placement's binder in
 * parallel against the request's DDS facade, and assembles the Page message in layout order.
 * With a cache, public- and persona-scoped widgets come from it when they can, and so do whole
 * anonymous pages that hold no user-scoped widget.
 */
import { create } from "@bufbuild/protobuf";
import { createHash } from "node:crypto";
import {
  CacheScope,
  OmittedWidgetSchema,
  PageSchema,
  type OmittedWidget,
  type Page,
} from "../protos/gen/tessera/page/v1/page_pb.js";
import type { Widget } from "../protos/gen/tessera/page/v1/widget_pb.js";
import type { DdsClient } from "../dds/client.ts";
import type { PublishedLayout } from "../layout-service/model.ts";
import type { LayoutResolver, LayoutSource, Omission, ResolvedLayout } from "../layouts/resolver.ts";
import type { RequestContext } from "../widget-registry/context.ts";
import type { WidgetRegistry } from "../widget-registry/registry.ts";
import type { CacheScope as BinderCacheScope } from "../widget-registry/sdk.ts";
import { runBinder } from "./binder-runtime.ts";
import type { CompositionCache } from "./cache/composition-cache.ts";
import { recordFlagReads } from "./cache/flag-reads.ts";
import { nextScheduleChange } from "./cache/schedule.ts";
import { requestKey, widgetKey } from "./cache/widget-key.ts";
import { createRequestDds } from "./dds-facade.ts";
import { combineHooks, type CompositorHooks } from "./hooks.ts";
import { encodePage } from "./page-encoding.ts";
import { encodeWidget } from "./widget-encoding.ts";

export interface CompositionTiming {
  layoutMs: number;
  /** Wall time with at least one DDS call in flight. */
  ddsMs: number;
  ddsCalls: number;
  /** Sum of every binder's bind time. */
  bindMs: number;
  totalMs: number;
}

export interface Composition {
  page: Page;
  /** The page as protobuf binary. */
  bytes: Uint8Array;
  /** A strong validator of `bytes` when the page holds no user-scoped widget. */
  etag?: string;
  timing: CompositionTiming;
  /** The essential placement that failed, when one did: the page must not be served. */
  failedEssential?: OmittedWidget;
  /** Served whole from the page cache. */
  fromCache: boolean;
}

/** Receives widgets as they are ready, for streaming. */
export interface CompositionListener {
  widget?(position: number, widget: Widget): void;
  omitted?(position: number, omitted: OmittedWidget): void;
}

export interface PageCompositor {
  /** undefined when the page does not exist (or no variant matches the request). */
  compose(pageId: string, ctx: RequestContext, listener?: CompositionListener): Promise<Composition | undefined>;
  /** Composes an already resolved layout, e.g. a draft for preview; never cached. */
  composeLayout(layout: ResolvedLayout, ctx: RequestContext, listener?: CompositionListener): Promise<Composition>;
}

export interface CompositorOptions {
  resolver: LayoutResolver;
  registry: WidgetRegistry;
  dds: DdsClient;
  hooks?: readonly CompositorHooks[];
  /** Caches widgets, and with `layouts` whole anonymous pages. */
  cache?: CompositionCache;
  /** The published layouts the resolver reads: the page cache keys on their versions. */
  layouts?: LayoutSource;
}

const SCOPE_ORDER: Record<BinderCacheScope, CacheScope> = {
  public: CacheScope.PUBLIC,
  persona: CacheScope.PERSONA,
  user: CacheScope.USER,
};

/** Seconds a shared cache may keep a page of each scope. */
const MAX_AGE_SECONDS: Record<CacheScope, number> = {
  [CacheScope.UNSPECIFIED]: 0,
  [CacheScope.PUBLIC]: 60,
  [CacheScope.PERSONA]: 60,
  [CacheScope.USER]: 0,
};

/** The entitlement plan of anonymous callers: known without asking. */
const ANONYMOUS_PLAN = "anonymous";

function toOmitted(omission: Pick<Omission, "instanceId" | "type" | "reason" | "message">): OmittedWidget {
  return create(OmittedWidgetSchema, {
    instanceId: omission.instanceId,
    type: omission.type,
    reason: omission.reason,
    message: omission.message,
  });
}

const etagOf = (bytes: Uint8Array) => `"${createHash("sha1").update(bytes).digest("base64url")}"`;

function pageKey(pageId: string, published: PublishedLayout, ctx: RequestContext, dataVersion: string): string {
  return [pageId, published.version, ctx.platform, ctx.clientVersion, ctx.formFactor, ctx.locale, ctx.cohort, ctx.region, ctx.persona, dataVersion].join("\u0001");
}

interface Slot {
  widget?: Widget;
  bytes?: Uint8Array;
  omitted?: OmittedWidget;
  essential: boolean;
}

export function createPageCompositor(options: CompositorOptions): PageCompositor {
  const { resolver, registry, cache } = options;
  const hooks = combineHooks(options.hooks ?? []);

  async function composeLayout(
    layout: ResolvedLayout,
    ctx: RequestContext,
    listener: CompositionListener,
    useCache: boolean,
    layoutMs = 0,
    started = performance.now(),
  ): Promise<Composition> {
    const widgetCache = useCache ? cache?.widgets : undefined;
    const dataVersion = cache?.dataVersion() ?? "";
    const requestDds = createRequestDds(options.dds, ctx, hooks, cache && { cache: cache.entities, dataVersion });
    const slots: Slot[] = [];
    let scope = CacheScope.PUBLIC as CacheScope;
    let bindMs = 0;
    const requestParts = new Map<string, string>();
    const requestPart = (plan: string) => {
      let part = requestParts.get(plan);
      if (part === undefined) {
        part = requestKey({ ctx, layout, plan, dataVersion });
        requestParts.set(plan, part);
      }
      return part;
    };

    for (const omission of layout.omitted) {
      const omitted = toOmitted(omission);
      slots[omission.position] = { omitted, essential: omission.essential };
      listener.omitted?.(omission.position, omitted);
    }

    const settle = (position: number, binderScope: BinderCacheScope, slot: Slot) => {
      slots[position] = slot;
      if (slot.widget) {
        if (SCOPE_ORDER[binderScope] > scope) scope = SCOPE_ORDER[binderScope];
        listener.widget?.(position, slot.widget);
      } else if (slot.omitted) {
        listener.omitted?.(position, slot.omitted);
      }
    };

    await Promise.all(
      layout.placements.map(async (placement) => {
        const binder = registry.get(placement.type)!;
        const started = performance.now();
        const cacheable = widgetCache !== undefined && binder.cacheScope !== "user";
        const keyFor = (plan: string) => widgetKey(placement, binder.cacheScope as "public" | "persona", ctx, requestPart(plan));
        // Tiles carry the caller's entitlement badges: output is shared only between callers of one plan.
        const anyPlan = cacheable && ctx.userId ? keyFor("") : undefined;
        let key: string | undefined;
        if (cacheable && (!ctx.userId || cache!.mayHave(anyPlan!))) {
          const plan = ctx.userId ? await requestDds.plan() : ANONYMOUS_PLAN;
          key = plan === undefined ? undefined : keyFor(plan);
          const hit = key === undefined ? undefined : (widgetCache.get(key, ctx.flags) ?? (await widgetCache.getRemote(key, ctx.flags)));
          hooks.cacheLookup({ ctx, layer: "widget", type: placement.type, hit: hit !== undefined });
          if (hit) {
            settle(placement.position, binder.cacheScope, { widget: hit.widget, bytes: hit.bytes, essential: placement.essential });
            hooks.widgetSettled({ ctx, type: placement.type, outcome: "ok", durationMs: performance.now() - started, ddsCalls: 0, cached: true });
            return;
          }
        }
        const dds = requestDds.forBinder();
        const recorder = cacheable ? recordFlagReads(ctx.flags) : undefined;
        const result = await runBinder(binder, placement, recorder ? { ...ctx, flags: recorder } : ctx, dds);
        bindMs += result.bindMs;
        hooks.widgetSettled({ ctx, type: placement.type, outcome: result.outcome, durationMs: result.durationMs, ddsCalls: dds.calls, cached: false });
        if (result.outcome === "ok") {
          const bytes = encodeWidget(result.widget);
          if (recorder) {
            const plan = ctx.userId ? (requestDds.knownPlan() ?? (await requestDds.plan())) : ANONYMOUS_PLAN;
            key ??= plan === undefined ? undefined : keyFor(plan);
            if (key !== undefined) widgetCache!.set(key, recorder.reads, ctx.flags, { widget: result.widget, bytes });
            if (anyPlan !== undefined) cache!.cachedForSomePlan(anyPlan);
          }
          settle(placement.position, binder.cacheScope, { widget: result.widget, bytes, essential: placement.essential });
        } else {
          const omitted = toOmitted({ ...placement, reason: result.outcome, message: result.message });
          settle(placement.position, binder.cacheScope, { omitted, essential: placement.essential });
        }
      }),
    );

    const ordered = slots.filter((slot) => slot !== undefined);
    const widgets: Widget[] = [];
    const widgetBytes: Uint8Array[] = [];
    for (const slot of ordered) {
      if (!slot.widget) continue;
      widgets.push(slot.widget);
      widgetBytes.push(slot.bytes ?? encodeWidget(slot.widget));
    }
    const page = create(PageSchema, {
      pageId: layout.pageId,
      layoutVersion: layout.layoutVersion,
      errors: ordered.flatMap((slot) => (slot.omitted ? [slot.omitted] : [])),
      cache: { scope, maxAgeSeconds: MAX_AGE_SECONDS[scope] },
      experiments: layout.experiments,
    });
    page.widgets = widgets;
    const bytes = encodePage(page, widgetBytes);
    const failedEssential = ordered.find((slot) => slot.essential && slot.omitted)?.omitted;
    const totalMs = performance.now() - started;
    hooks.pageComposed({ ctx, pageId: layout.pageId, durationMs: totalMs, widgets: page.widgets.length, omitted: page.errors.length, experiments: layout.experiments });
    const timing = {
      layoutMs,
      ddsMs: requestDds.scheduler.busyMs,
      ddsCalls: requestDds.scheduler.calls,
      bindMs,
      totalMs,
    };
    const etag = scope === CacheScope.USER ? undefined : etagOf(bytes);
    return { page, bytes, etag, timing, failedEssential, fromCache: false };
  }

  /** An anonymous page from the page cache, or composed and kept there when it holds no user-scoped widget. */
  async function composeAnonymous(published: PublishedLayout, ctx: RequestContext, started: number) {
    const pages = cache!.pages;
    const key = pageKey(published.layout.pageId, published, ctx, cache!.dataVersion());
    const hit = pages.get(key, ctx.flags);
    if (hit && Date.now() < hit.validUntil) {
      hooks.cacheLookup({ ctx, layer: "page", type: published.layout.pageId, hit: true });
      const { page } = hit.composition;
      const totalMs = performance.now() - started;
      hooks.pageComposed({ ctx, pageId: page.pageId, durationMs: totalMs, widgets: page.widgets.length, omitted: page.errors.length, experiments: page.experiments });
      return { ...hit.composition, timing: { layoutMs: 0, ddsMs: 0, ddsCalls: 0, bindMs: 0, totalMs }, fromCache: true };
    }
    hooks.cacheLookup({ ctx, layer: "page", type: published.layout.pageId, hit: false });
    const flags = recordFlagReads(ctx.flags);
    const recorded = { ...ctx, flags };
    const layout = resolver.resolveLayout(published, recorded);
    if (!layout) return undefined;
    const composition = await composeLayout(layout, recorded, {}, true, performance.now() - started, started);
    const cacheable = composition.page.cache?.scope !== CacheScope.USER && !composition.failedEssential && composition.page.errors.every((e) => e.reason !== "error" && e.reason !== "timeout");
    if (cacheable) pages.set(key, flags.reads, ctx.flags, { composition, validUntil: Math.min(nextScheduleChange(published.layout, Date.now()), Date.now() + MAX_AGE_SECONDS[CacheScope.PUBLIC] * 1000) });
    return composition;
  }

  return {
    composeLayout: (layout, ctx, listener = {}) => composeLayout(layout, ctx, listener, false),
    async compose(pageId, ctx, listener = {}) {
      const started = performance.now();
      if (cache && options.layouts) {
        const published = await options.layouts.getPublished(pageId);
        if (!published) return undefined;
        // A stream reports widgets as they settle, so it is composed, never answered from the page cache.
        const streaming = listener.widget !== undefined || listener.omitted !== undefined;
        if (!ctx.userId && !streaming) return composeAnonymous(published, ctx, started);
        const layout = resolver.resolveLayout(published, ctx);
        return layout && composeLayout(layout, ctx, listener, true, performance.now() - started, started);
      }
      const layout = await resolver.resolve(pageId, ctx);
      if (!layout) return undefined;
      return composeLayout(layout, ctx, listener, cache !== undefined, performance.now() - started, started);
    },
  };
}
