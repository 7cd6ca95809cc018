/**
 * Serving a page, whatever the transport: validate the request, take the caller the gateway hook
 * identified, compose. Answers errors as ApiError; the HTTP error handler and the Connect interceptor
 * map them to their codes.
 */
import { ApiError, notFound } from "../api/errors.ts";
import type { Identity } from "./gateway/auth.ts";
import { buildRequestContext } from "./gateway/request-context.ts";
import { parsePageRequest, type RawPageRequest } from "./gateway/request-options.ts";
import { pageParameters } from "./gateway/page-parameters.ts";
import type { LayoutSource } from "./layouts/layout-source.ts";
import type { Composition, CompositionListener } from "./composition/composition.ts";
import type { PageCompositor } from "./composition/page-compositor.ts";
import type { WidgetComposition } from "./composition/widget-at-token.ts";
import { NO_FLAGS, type Flags, type RequestContext } from "../widget-registry/context.ts";
import type { RequestParameter } from "../widget-registry/request-dimensions.ts";

type Headers = Record<string, string | string[] | undefined>;

/** The request's feature flags. */
export type FlagsFor = (ctx: RequestContext) => Promise<Flags>;

export interface PageRequest {
  requestId: string;
  raw: RawPageRequest;
  headers: Headers;
  /** The caller, as the gateway hook verified it. */
  identity: Promise<Identity>;
}

/** A page request, validated. */
export interface PageCall {
  ctx: RequestContext;
  /** The parameters the request named itself: a shared cache tells requests apart by those (the URL) alone. */
  named: ReadonlySet<RequestParameter>;
}

export interface PageService {
  /** The request's context, or an ApiError (400, 401). */
  context(request: PageRequest): Promise<PageCall>;
  /** Composes the page; an ApiError when it does not exist (404) or lacks an essential widget (503). */
  serve(pageId: string, ctx: RequestContext, listener?: CompositionListener): Promise<Composition>;
  /** One widget of the page at its page token (load more, a deferred widget); ApiErrors as PageCompositor.composeWidget's. */
  serveWidget(pageId: string, instanceId: string, pageToken: string, ctx: RequestContext): Promise<WidgetComposition>;
}

/** How a page request that reached composition ended (a refusal for overload is counted by admission). */
export type PageOutcome = "ok" | "not_found" | "unavailable" | "error";

export interface PageServiceOptions {
  compositor: PageCompositor;
  /** The published layouts: what parameters each page takes. */
  layouts: LayoutSource;
  regionHeader: string;
  /** Evaluates feature flags for a request; none by default. */
  flagsFor?: FlagsFor;
  /** Told how each page request ended; `pageId` is "" unless the page exists, so a client's made-up ids add no series. */
  onServed?: (pageId: string, outcome: PageOutcome) => void;
}

export function createPageService(options: PageServiceOptions): PageService {
  return {
    async context({ requestId, raw, headers, identity }) {
      const requestOptions = parsePageRequest(raw, headers, options.regionHeader);
      // An unknown page takes no parameters worth checking: serving it answers 404.
      const published = await options.layouts.getPublished(requestOptions.pageId);
      const params = published ? pageParameters(requestOptions.pageId, published.layout.parameters ?? [], raw.parameters ?? []) : {};
      const ctx = buildRequestContext(requestId, await identity, requestOptions, NO_FLAGS, params);
      return { ctx: options.flagsFor ? { ...ctx, flags: await options.flagsFor(ctx) } : ctx, named: requestOptions.named };
    },
    async serve(pageId, ctx, listener) {
      const served = options.onServed ?? (() => {});
      let composition: Composition | undefined;
      try {
        composition = await options.compositor.compose(pageId, ctx, listener);
      } catch (error) {
        // A refusal for overload is counted by admission (tessera_admission_shed_total).
        if (!(error instanceof ApiError && error.code === "overloaded")) served("", "error");
        throw error;
      }
      if (!composition) {
        served("", "not_found");
        throw notFound(`page "${pageId}" does not exist`);
      }
      if (composition.failedEssential) {
        const { instanceId, reason, message } = composition.failedEssential;
        // What the page is about (its parameter's title, genre) does not exist for the caller.
        if (reason === "not-found") {
          served(pageId, "not_found");
          throw notFound(message);
        }
        served(pageId, "unavailable");
        throw new ApiError(503, "essential-widget-failed", `essential widget "${instanceId}" failed: ${reason}`);
      }
      served(pageId, "ok");
      return composition;
    },
    serveWidget(pageId, instanceId, pageToken, ctx) {
      return options.compositor.composeWidget(pageId, instanceId, pageToken, ctx);
    },
  };
}
