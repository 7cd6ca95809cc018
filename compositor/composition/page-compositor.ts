/**
 * The page compositor: a page request's stages, top to bottom. The page's published layout; for an
 * anonymous caller who is not streaming, the page cache; the layout resolved for the request; every
 * placement through the placement pipeline, in parallel against the request's DDS facade; the page
 * assembled in layout order. A preview composes a draft through the same stages, without the caches.
 */
import { pageNotFound } from "../../api/errors.ts";
import { randomUUID } from "node:crypto";
import type { Slot } from "../admission/admission.ts";
import type { DdsClient } from "../../dds/client.ts";
import type { PublishedLayout } from "../../layout-service/model.ts";
import type { RequestContext } from "../../widget-registry/context.ts";
import type { WidgetRegistry } from "../../widget-registry/registry.ts";
import type { CompositionCache } from "../cache/composition-cache.ts";
import { keepCheck } from "../cache/content-freshness.ts";
import { DdsAnswers } from "../cache/dds-answers.ts";
import { recordFlagReads } from "../cache/flag-reads.ts";
import { nextScheduleChange } from "../cache/schedule.ts";
import { createRequestDds } from "../dds-facade.ts";
import { combineHooks, type CompositorHooks } from "../hooks.ts";
import type { LayoutSource } from "../layouts/layout-source.ts";
import { traceComposition } from "../telemetry/composition-spans.ts";
import { tracingEnabled } from "../telemetry/tracing.ts";
import type { LayoutResolver, ResolvedLayout } from "../layouts/resolver.ts";
import type { Composition, CompositionListener } from "./composition.ts";
import { PlanKeys } from "./entitlement-plan.ts";
import { PageAssembly, type PageTokenOf } from "./page-assembly.ts";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "./page-token.ts";
import { emptyWidget, layoutAtToken, type WidgetComposition } from "./widget-at-token.ts";
import { deferredSlot } from "./widget-envelope.ts";
import { encodeWidget } from "../widget-encoding.ts";
import { AnonymousPageCache } from "./page-cache.ts";
import { derivesItemLinks } from "../../widget-registry/item-links.ts";
import { composePlacement, type PipelineParts, type PlacementRequest } from "./placement-pipeline.ts";

export interface DraftComposition {
  composition: Composition;
  /** The variant the draft resolved to for the request. */
  variantId: string;
}

export interface PageCompositor {
  /** undefined when the page does not exist (or no variant matches the request). */
  compose(pageId: string, ctx: RequestContext, listener?: CompositionListener): Promise<Composition | undefined>;
  /**
   * The widget `instanceId` of the page at the page token's cursor. An ApiError when the page or the
   * widget does not exist (404), the token is not this caller's for this page and widget (400), the
   * page changed since the token was made (409), or the widget's data cannot be had (503).
   */
  composeWidget(pageId: string, instanceId: string, pageToken: string, ctx: RequestContext): Promise<WidgetComposition>;
  /** Composes a draft layout as its page would be, through no cache; undefined when no variant matches. */
  preview(draft: PublishedLayout, ctx: RequestContext): Promise<DraftComposition | undefined>;
}

export interface CompositorOptions {
  /** The published layouts: the only place pages come from. */
  layouts: LayoutSource;
  resolver: LayoutResolver;
  registry: WidgetRegistry;
  dds: DdsClient;
  /** The DDS's image base URL: clients that derive image URLs get paths relative to it (compact-items.ts). */
  imageBaseUrl?: string;
  hooks?: readonly CompositorHooks[];
  /** Caches widgets (public and persona scope), shared DDS entities and whole anonymous pages. */
  cache?: CompositionCache;
  /**
   * Admission control: waits for leave to compose a page and resolves with its slot, or rejects
   * (the server is overloaded). Not asked for a page served whole from the page cache, nor a preview.
   * The slot is told when the composition waits on the DDS, so that it is free for others meanwhile.
   */
  admit?: () => Promise<Slot>;
  /**
   * The DDS runs in another process and follows the content changes on its own: each request
   * records how far its answers had applied them, and keeps nothing made from an answer behind.
   */
  remoteDds?: boolean;
  /** Signs page tokens (load more, deferred widgets): the same secret on every instance. The development secret by default. */
  pageTokenSecret?: string;
}

interface ComposeOptions {
  listener: CompositionListener;
  /** The cache widgets and DDS entities come from and go into; none for a preview. */
  cache: CompositionCache | undefined;
  /** When the request started (performance.now()), and how long finding its layout took. */
  started: number;
  layoutMs: number;
  /** Collects the entities the page shows, when it is to be kept. */
  shown?: Set<string>;
  /** The admission slot the page is composed in, told when the composition waits on the DDS. */
  slot?: Slot;
  /** With a remote DDS, how far its answers to this request had applied the content changes. */
  answers?: DdsAnswers;
  /** Whether what the request composes may be kept (keepCheck); made at its start when not given. */
  fresh?: () => boolean;
  /** Items in the compact form: the client derives deep links and image URLs (never a stream's nor a preview's). */
  compact: boolean;
  /** Page tokens for widgets with more items, placeholders for deferred placements; not in a preview, which binds them all. */
  pageTokens: boolean;
  /** Names the composition in its widgets' logging data; a new id when not given. */
  pageViewId?: string;
}

const NO_LISTENER: CompositionListener = {};
/** The page view id of a layout preview's widgets: no client views it. */
export const PREVIEW_PAGE_VIEW_ID = "preview";
const NEVER_KEPT = () => false;

export function createPageCompositor(options: CompositorOptions): PageCompositor {
  const { layouts, resolver, cache } = options;
  const hooks = combineHooks(options.hooks ?? []);
  const parts: PipelineParts = { registry: options.registry, hooks };
  const pageCache = cache && new AnonymousPageCache(cache, hooks);
  // A page's image base ends in "/": the client appends each image's path to it.
  const compactForm = { imageBaseUrl: options.imageBaseUrl ? `${options.imageBaseUrl}/` : "" };
  const pageTokens = createPageTokens(options.pageTokenSecret ?? DEV_PAGE_TOKEN_SECRET);

  /** Composes in an admission slot, when there is admission control. */
  async function admitted(compose: (slot: Slot | undefined) => Promise<Composition>): Promise<Composition> {
    const slot = await options.admit?.();
    try {
      return await compose(slot);
    } finally {
      slot?.release();
    }
  }

  function compose(pageId: string, ctx: RequestContext, listener = NO_LISTENER): Promise<Composition | undefined> {
    return tracingEnabled ? traceComposition(pageId, () => composePage(pageId, ctx, listener)) : composePage(pageId, ctx, listener);
  }

  async function composePage(pageId: string, ctx: RequestContext, listener: CompositionListener): Promise<Composition | undefined> {
    const started = performance.now();
    const published = await layouts.getPublished(pageId);
    if (!published) return undefined;
    // A stream reports widgets as they settle, so it is composed, never answered from the page cache.
    const streaming = listener.widget !== undefined || listener.omitted !== undefined;
    if (pageCache && !ctx.userId && !streaming) return composeAnonymous(pageCache, published, ctx, started);
    const layout = resolver.resolveLayout(published, ctx);
    if (!layout) return undefined;
    // What an anonymous page shows names it for shared caches (its surrogate keys).
    const shown = ctx.userId ? undefined : new Set<string>();
    const composition = await admitted((slot) =>
      composeResolved(layout, ctx, {
        listener,
        cache,
        started,
        layoutMs: performance.now() - started,
        shown,
        slot,
        // A stream's widgets come before its summary, the page that holds the image base.
        compact: !streaming && derivesItemLinks(ctx),
        pageTokens: true,
      }),
    );
    return shown ? withShown(composition, shown, published) : composition;
  }

  /** An anonymous page from the page cache, or composed and kept there when it may be shared. */
  async function composeAnonymous(pages: AnonymousPageCache, published: PublishedLayout, ctx: RequestContext, started: number) {
    const key = pages.key(published, ctx);
    const hit = pages.get(key, published, ctx, started);
    if (hit) return hit;
    const answers = options.remoteDds ? new DdsAnswers() : undefined;
    const fresh = keepCheck(cache!.content, answers);
    // The page varies by every flag its composition reads, the resolver's included.
    const flags = recordFlagReads(ctx.flags);
    const recorded = { ...ctx, flags };
    const layout = resolver.resolveLayout(published, recorded);
    if (!layout) return undefined;
    const shown = new Set<string>();
    const composed = await admitted((slot) =>
      composeResolved(layout, recorded, {
        listener: NO_LISTENER,
        cache,
        started,
        layoutMs: performance.now() - started,
        shown,
        slot,
        answers,
        fresh,
        compact: derivesItemLinks(ctx),
        pageTokens: true,
      }),
    );
    const composition = withShown(composed, shown, published);
    if (fresh()) pages.keep(key, published, ctx, flags.reads, composition, composition.entities!);
    return composition;
  }

  /** Every placement through the pipeline, in parallel, then the page assembled from their slots. */
  async function composeResolved(
    layout: ResolvedLayout,
    ctx: RequestContext,
    {
      listener,
      cache,
      started,
      layoutMs,
      shown,
      slot,
      answers: givenAnswers,
      fresh: givenFresh,
      compact,
      pageTokens: tokens,
      pageViewId,
    }: ComposeOptions,
  ): Promise<Composition> {
    const dataVersion = cache?.dataVersion() ?? "";
    const answers = givenAnswers ?? (cache && options.remoteDds ? new DdsAnswers() : undefined);
    const fresh = givenFresh ?? (cache ? keepCheck(cache.content, answers) : NEVER_KEPT);
    const dds = createRequestDds(options.dds, ctx, hooks, cache && { cache: cache.entities, dataVersion, fresh }, slot, answers);
    const pageToken: PageTokenOf | undefined = tokens
      ? (instanceId, cursor) =>
          pageTokens.issue({
            pageId: layout.pageId,
            instanceId,
            layoutVersion: layout.layoutVersion,
            variantId: layout.variantId,
            dataVersion,
            cursor,
          })
      : undefined;
    const assembly = new PageAssembly(layout, listener, pageViewId ?? randomUUID(), pageToken);
    const widgetCache = cache && {
      widgets: cache.widgets,
      userWidgets: cache.userWidgets,
      plans: new PlanKeys({ ctx, layout, cache, dataVersion, dds, compact }),
      fresh,
    };
    const itemForm = compact ? compactForm : undefined;
    const request: PlacementRequest = { ctx, dds, cache: widgetCache, sink: assembly, shown, compact: itemForm };
    const deferred = pageToken ? layout.placements.filter((placement) => placement.deferred) : [];
    const bound = deferred.length > 0 ? layout.placements.filter((placement) => !placement.deferred) : layout.placements;
    await Promise.all(bound.map((placement) => composePlacement(parts, request, placement)));
    // After every bound widget: a stream sends the placeholders last.
    for (const placement of deferred) assembly.settle(deferredSlot(placement, pageToken!(placement.instanceId, "")));
    return assembly.finish({ ctx, hooks, scheduler: dds.scheduler, started, layoutMs, imageBaseUrl: itemForm?.imageBaseUrl ?? "" });
  }

  async function preview(draft: PublishedLayout, ctx: RequestContext): Promise<DraftComposition | undefined> {
    const started = performance.now();
    const layout = resolver.resolveLayout(draft, ctx);
    if (!layout) return undefined;
    const composition = await composeResolved({ ...layout, layoutVersion: "draft" }, ctx, {
      listener: NO_LISTENER,
      cache: undefined,
      started,
      layoutMs: performance.now() - started,
      // The dashboard draws a preview's images from their URLs.
      compact: false,
      pageTokens: false,
      pageViewId: PREVIEW_PAGE_VIEW_ID,
    });
    return { composition, variantId: layout.variantId };
  }

  async function composeWidget(pageId: string, instanceId: string, pageToken: string, ctx: RequestContext): Promise<WidgetComposition> {
    const started = performance.now();
    const published = await layouts.getPublished(pageId);
    if (!published) throw pageNotFound(pageId);
    const claims = pageTokens.open(pageToken, pageId);
    const { single, placement } = layoutAtToken(resolver.resolveLayout(published, ctx), claims, cache?.dataVersion() ?? "", instanceId);
    const shown = ctx.userId ? undefined : new Set<string>();
    const composed = await admitted((slot) =>
      composeResolved(single, ctx, {
        listener: NO_LISTENER,
        cache,
        started,
        layoutMs: performance.now() - started,
        shown,
        slot,
        compact: derivesItemLinks(ctx),
        pageTokens: true,
      }),
    );
    const composition = shown ? withShown(composed, shown, published) : composed;
    const widget = composed.page.widgets[0] ?? emptyWidget(placement, composed.page.errors[0]);
    return { widget, bytes: encodeWidget(widget), composition };
  }

  return { compose, preview, composeWidget };
}

/** An anonymous composition named by what it shows (its surrogate keys), until its schedule next changes. */
function withShown(composition: Composition, shown: Set<string>, published: PublishedLayout): Composition {
  return { ...composition, entities: [...shown], changesAt: nextScheduleChange(published.layout, Date.now()) };
}
