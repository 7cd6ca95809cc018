/**
 * PageCompositor: resolves a page's layout for the request, runs every placement's binder in
 * parallel against the request's DDS facade, and assembles the Page message in layout order.
 */
import { create } from "@bufbuild/protobuf";
import {
  CacheScope,
  OmittedWidgetSchema,
  PageSchema,
  type OmittedWidget,
  type Page,
} from "../protos/gen/tessera/page/v1/page_pb.js";
import type { Widget } from "../protos/gen/tessera/page/v1/widget_pb.js";
import type { DdsClient } from "../dds/client.ts";
import type { LayoutResolver, Omission, ResolvedLayout } from "../layout-service/resolver.ts";
import type { RequestContext } from "../widget-registry/context.ts";
import type { WidgetRegistry } from "../widget-registry/registry.ts";
import type { CacheScope as BinderCacheScope } from "../widget-registry/sdk.ts";
import { runBinder } from "./binder-runtime.ts";
import { createRequestDds } from "./dds-facade.ts";
import { combineHooks, type CompositorHooks } from "./hooks.ts";

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
  timing: CompositionTiming;
  /** The essential placement that failed, when one did: the page must not be served. */
  failedEssential?: OmittedWidget;
}

/** Receives widgets as they are ready, for streaming. */
export interface CompositionListener {
  widget?(position: number, widget: Widget): void;
  omitted?(position: number, omitted: OmittedWidget): void;
}

export interface PageCompositor {
  /** undefined when the page does not exist (or no variant matches the request). */
  compose(pageId: string, ctx: RequestContext, listener?: CompositionListener): Promise<Composition | undefined>;
  /** Composes an already resolved layout, e.g. a draft for preview. */
  composeLayout(layout: ResolvedLayout, ctx: RequestContext, listener?: CompositionListener): Promise<Composition>;
}

export interface CompositorOptions {
  resolver: LayoutResolver;
  registry: WidgetRegistry;
  dds: DdsClient;
  hooks?: readonly CompositorHooks[];
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

function toOmitted(omission: Pick<Omission, "instanceId" | "type" | "reason" | "message">): OmittedWidget {
  return create(OmittedWidgetSchema, {
    instanceId: omission.instanceId,
    type: omission.type,
    reason: omission.reason,
    message: omission.message,
  });
}

export function createPageCompositor(options: CompositorOptions): PageCompositor {
  const { resolver, registry } = options;
  const hooks = combineHooks(options.hooks ?? []);

  async function composeLayout(
    layout: ResolvedLayout,
    ctx: RequestContext,
    listener: CompositionListener = {},
    layoutMs = 0,
    started = performance.now(),
  ): Promise<Composition> {
    const requestDds = createRequestDds(options.dds, ctx, hooks);
    const slots: Array<{ widget?: Widget; omitted?: OmittedWidget; essential: boolean }> = [];
    let scope = CacheScope.PUBLIC;
    let bindMs = 0;

    for (const omission of layout.omitted) {
      const omitted = toOmitted(omission);
      slots[omission.position] = { omitted, essential: omission.essential };
      listener.omitted?.(omission.position, omitted);
    }

    await Promise.all(
      layout.placements.map(async (placement) => {
        const binder = registry.get(placement.type)!;
        const dds = requestDds.forBinder();
        const result = await runBinder(binder, placement, ctx, dds);
        bindMs += result.bindMs;
        hooks.widgetSettled({ ctx, type: placement.type, outcome: result.outcome, durationMs: result.durationMs, ddsCalls: dds.calls });
        if (result.outcome === "ok") {
          slots[placement.position] = { widget: result.widget, essential: placement.essential };
          if (SCOPE_ORDER[binder.cacheScope] > scope) scope = SCOPE_ORDER[binder.cacheScope];
          listener.widget?.(placement.position, result.widget);
        } else {
          const omitted = toOmitted({ ...placement, reason: result.outcome, message: result.message });
          slots[placement.position] = { omitted, essential: placement.essential };
          listener.omitted?.(placement.position, omitted);
        }
      }),
    );

    const ordered = slots.filter((slot) => slot !== undefined);
    const page = create(PageSchema, {
      pageId: layout.pageId,
      layoutVersion: layout.layoutVersion,
      widgets: ordered.flatMap((slot) => (slot.widget ? [slot.widget] : [])),
      errors: ordered.flatMap((slot) => (slot.omitted ? [slot.omitted] : [])),
      cache: { scope, maxAgeSeconds: MAX_AGE_SECONDS[scope] },
      experiments: layout.experiments,
    });
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
    return { page, timing, failedEssential };
  }

  return {
    composeLayout: (layout, ctx, listener) => composeLayout(layout, ctx, listener),
    async compose(pageId, ctx, listener) {
      const started = performance.now();
      const layout = await resolver.resolve(pageId, ctx);
      if (!layout) return undefined;
      return composeLayout(layout, ctx, listener, performance.now() - started, started);
    },
  };
}
