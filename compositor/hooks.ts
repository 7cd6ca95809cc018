/** The compositor's extension points: metrics, tracing and caching plug in here, not in its code. */
import type { RequestContext } from "../widget-registry/context.ts";
import type { DdsName } from "../dds/client.ts";

export interface DdsCallEvent {
  ctx: RequestContext;
  dds: DdsName;
  method: string;
  batchSize: number;
  durationMs: number;
  failed: boolean;
}

export interface WidgetSettledEvent {
  ctx: RequestContext;
  type: string;
  /** "ok", or why the widget was left out. */
  outcome: "ok" | "error" | "timeout" | "empty" | "not-found";
  durationMs: number;
  ddsCalls: number;
  /** Served from the widget cache. */
  cached: boolean;
}

export interface CacheLookupEvent {
  ctx: RequestContext;
  /** "user-widget": a user-scoped widget reused because its binder fetched the same data (cache/user-widgets.ts). */
  layer: "widget" | "user-widget" | "page";
  /** The widget type, or the page id. */
  type: string;
  hit: boolean;
}

export interface PageComposedEvent {
  ctx: RequestContext;
  pageId: string;
  durationMs: number;
  widgets: number;
  omitted: number;
  /** The experiments the page reports (Page.experiments). */
  experiments: ReadonlyArray<{ flag: string; variation: string }>;
}

export interface CompositorHooks {
  ddsCall?(event: DdsCallEvent): void;
  widgetSettled?(event: WidgetSettledEvent): void;
  pageComposed?(event: PageComposedEvent): void;
  cacheLookup?(event: CacheLookupEvent): void;
}

/** Calls every hook set's handler for an event. */
export function combineHooks(hookSets: readonly CompositorHooks[]): Required<CompositorHooks> {
  return {
    ddsCall: (event) => hookSets.forEach((hooks) => hooks.ddsCall?.(event)),
    widgetSettled: (event) => hookSets.forEach((hooks) => hooks.widgetSettled?.(event)),
    pageComposed: (event) => hookSets.forEach((hooks) => hooks.pageComposed?.(event)),
    cacheLookup: (event) => hookSets.forEach((hooks) => hooks.cacheLookup?.(event)),
  };
}
