/**
 * A page from its settled slots: in layout order, an error for each omitted one, the cache scope
 * of its widest widget, its bytes written from the widgets' own encodings, an ETag when it holds
 * no user-scoped widget and is not degraded (a stale, partial or failed widget), and how long each
 * stage took. Each widget gets the page view's logging data as it settles (README.md, "Impressions
 * and logging data"): never in the widget a cache keeps, but in a shallow copy, and in its bytes
 * as a record appended to the kept encoding.
 */
import { createHash } from "node:crypto";
import { CacheScope, type OmittedWidget, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { WidgetLogging } from "../../protos/gen/tessera/page/v1/logging_pb.js";
import type { RequestContext } from "../../widget-registry/context.ts";
import type { CacheScope as BinderCacheScope } from "../../widget-registry/sdk.ts";
import type { CompositorHooks } from "../hooks.ts";
import type { ResolvedLayout } from "../layouts/resolver.ts";
import { encodePage } from "../page-encoding.ts";
import { encodeLoggingRecord } from "../widget-encoding.ts";
import type { WaveScheduler } from "../wave-scheduler.ts";
import type { Composition, CompositionListener } from "./composition.ts";
import { omittedSlot, type SettledSlot, type SlotSink, type WidgetSlot } from "./slot.ts";
import { nextPageTokenRecord } from "./widget-envelope.ts";

/** The caller's page token for a widget's cursor (page-token.ts). */
export type PageTokenOf = (instanceId: string, cursor: string) => string;

const SCOPE_ORDER: Record<BinderCacheScope, CacheScope> = {
  public: CacheScope.PUBLIC,
  persona: CacheScope.PERSONA,
  user: CacheScope.USER,
};

/** Seconds a shared cache may keep a page of each scope. */
export const MAX_AGE_SECONDS: Record<CacheScope, number> = {
  [CacheScope.UNSPECIFIED]: 0,
  [CacheScope.PUBLIC]: 60,
  [CacheScope.PERSONA]: 60,
  [CacheScope.USER]: 0,
};

/** The logging data of a widget whose binder wrote none (a widget kept before it did). */
const NO_LOGGING: Omit<WidgetLogging, "pageViewId" | "instanceId" | "position" | "variantId" | "experimentFlag" | "experimentVariation"> = {
  $typeName: "tessera.page.v1.WidgetLogging",
  recoRequestId: "",
  visibility: undefined,
};

export interface AssemblyEnd {
  ctx: RequestContext;
  hooks: Required<CompositorHooks>;
  /** The request's DDS waves: how long calls were in flight, how many there were. */
  scheduler: WaveScheduler;
  /** When the request started (performance.now()). */
  started: number;
  layoutMs: number;
  /** The page's image base for compact items; "" for the full form. */
  imageBaseUrl: string;
}

/** One page's slots as they settle; `finish` once every placement has. */
export class PageAssembly implements SlotSink {
  readonly #layout: ResolvedLayout;
  readonly #listener: CompositionListener;
  readonly #pageViewId: string;
  readonly #pageToken: PageTokenOf | undefined;
  readonly #slots: SettledSlot[] = [];
  /** Per position, the widget's page token record and page-view logging record, appended to its bytes. */
  readonly #tokens: Uint8Array[] = [];
  readonly #views: Uint8Array[] = [];
  #scope: CacheScope = CacheScope.PUBLIC;
  #bindMs = 0;
  #staleWidgets = 0;
  #degraded = false;

  /**
   * Starts with the placements the layout left out, reported at once. `pageViewId` names this
   * composition in every widget's logging data. Without `pageToken` (a preview), widgets get no page token.
   */
  constructor(layout: ResolvedLayout, listener: CompositionListener, pageViewId: string, pageToken?: PageTokenOf) {
    this.#layout = layout;
    this.#listener = listener;
    this.#pageViewId = pageViewId;
    this.#pageToken = pageToken;
    for (const omission of layout.omitted) this.settle(omittedSlot(omission));
  }

  settle(settled: SettledSlot): void {
    const slot = "widget" in settled ? this.#viewed(this.#paged(settled)) : settled;
    this.#slots[slot.position] = slot;
    this.#bindMs += slot.bindMs;
    if ("widget" in slot) {
      if (SCOPE_ORDER[slot.scope] > this.#scope) this.#scope = SCOPE_ORDER[slot.scope];
      if (slot.degraded) {
        this.#degraded = true;
        if (slot.widget.stale) this.#staleWidgets++;
      }
      this.#listener.widget?.(slot.position, slot.widget);
    } else {
      if (slot.omitted.reason === "error" || slot.omitted.reason === "timeout") this.#degraded = true;
      this.#listener.omitted?.(slot.position, slot.omitted);
    }
  }

  /** The slot with its page token when its widget has more items: a copy of the widget, and the record its bytes get. */
  #paged(slot: WidgetSlot): WidgetSlot {
    if (!slot.nextCursor || !this.#pageToken) return slot;
    const token = this.#pageToken(slot.widget.instanceId, slot.nextCursor);
    this.#tokens[slot.position] = nextPageTokenRecord(token);
    return { ...slot, widget: { ...slot.widget, nextPageToken: token } };
  }

  /** The slot with its widget's page-view logging data: a copy of the widget, and the record its bytes get. */
  #viewed(slot: WidgetSlot): WidgetSlot {
    const { variantId, variantExperiment } = this.#layout;
    const view: WidgetLogging = {
      $typeName: "tessera.page.v1.WidgetLogging",
      pageViewId: this.#pageViewId,
      instanceId: slot.widget.instanceId,
      position: slot.position,
      variantId,
      experimentFlag: variantExperiment?.flag ?? "",
      experimentVariation: variantExperiment?.variation ?? "",
      recoRequestId: "",
      visibility: undefined,
    };
    this.#views[slot.position] = encodeLoggingRecord(view);
    const kept = slot.widget.logging ?? NO_LOGGING;
    const logging: WidgetLogging = { ...view, recoRequestId: kept.recoRequestId, visibility: kept.visibility };
    return { ...slot, widget: { ...slot.widget, logging } };
  }

  finish({ ctx, hooks, scheduler, started, layoutMs, imageBaseUrl }: AssemblyEnd): Composition {
    const layout = this.#layout;
    const scope = this.#scope;
    const degraded = this.#degraded;
    const widgets: Widget[] = [];
    const widgetBytes: Uint8Array[] = [];
    const tokens: (Uint8Array | undefined)[] = [];
    const views: Uint8Array[] = [];
    const errors: OmittedWidget[] = [];
    let failedEssential: OmittedWidget | undefined;
    for (const slot of this.#slots) {
      if (slot === undefined) continue;
      if ("widget" in slot) {
        widgets.push(slot.widget);
        widgetBytes.push(slot.bytes);
        tokens.push(this.#tokens[slot.position]);
        views.push(this.#views[slot.position]!);
      } else {
        errors.push(slot.omitted);
        if (slot.essential) failedEssential ??= slot.omitted;
      }
    }
    // A literal, every field set: what create() would build, without its reflection.
    const page: Page = {
      $typeName: "tessera.page.v1.Page",
      pageId: layout.pageId,
      layoutVersion: layout.layoutVersion,
      widgets,
      errors,
      cache: { $typeName: "tessera.page.v1.CachePolicy", scope, maxAgeSeconds: degraded ? 0 : MAX_AGE_SECONDS[scope] },
      experiments: layout.experiments.map(({ flag, variation }) => ({ $typeName: "tessera.page.v1.ExperimentExposure", flag, variation })),
      imageBaseUrl,
    };
    // A page no cache keeps (page-cache.ts) has no ETag and lives only as long as its response.
    const kept = scope !== CacheScope.USER && !degraded;
    // The ETag validates the page without its page view's logging data: the same page in another view.
    const content = kept ? createHash("sha1") : undefined;
    const bytes = encodePage(page, widgetBytes, { tails: { tokens, views }, content, holder: kept ? "owned" : "pooled" });
    const totalMs = performance.now() - started;
    hooks.pageComposed({
      ctx,
      pageId: layout.pageId,
      durationMs: totalMs,
      widgets: widgets.length,
      omitted: errors.length,
      experiments: layout.experiments,
    });
    const timing = { layoutMs, ddsMs: scheduler.busyMs, ddsCalls: scheduler.calls, bindMs: this.#bindMs, totalMs };
    const etag = content && `"${content.digest("base64url")}"`;
    return { page, bytes, etag, timing, failedEssential, staleWidgets: this.#staleWidgets, degraded };
  }
}
