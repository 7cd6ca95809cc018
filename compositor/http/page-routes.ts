/** `GET /v1/pages/:pageId`: the page as protobuf binary, or protobuf JSON with `Accept: application/json`. */
import { toJsonString } from "@bufbuild/protobuf";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { PageSchema, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { RequestContext } from "../../widget-registry/context.ts";
import { dimensionHeaders } from "../gateway/request-options.ts";
import type { PageService } from "../page-service.ts";
import { cacheControl, ifNoneMatchHits, representationEtag, STALE_HEADER } from "./cache-headers.ts";
import { serverTiming } from "./server-timing.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** A page request's context, built once by the page route's gateway hook. */
    pageContext: RequestContext;
  }
}

interface PageRoute {
  Params: { pageId: string };
  Querystring: Record<string, string | undefined>;
}

/**
 * Every header the page depends on, for shared caches: the representation, the token (the caller's
 * claims), the device id (an anonymous caller's flag variations) and the request dimensions' headers.
 */
export function pageVary(regionHeader: string): string {
  return ["Accept", "Authorization", "X-Device-Id", ...dimensionHeaders(regionHeader)].join(", ");
}

/** JSON of pages served again from the page cache is rendered once. */
const jsonOfPage = new WeakMap<Page, string>();

function jsonOf(page: Page): string {
  let json = jsonOfPage.get(page);
  if (json === undefined) {
    json = toJsonString(PageSchema, page);
    jsonOfPage.set(page, json);
  }
  return json;
}

export function pageRoutes(pages: PageService, options: { regionHeader?: string } = {}) {
  const vary = pageVary(options.regionHeader ?? "CloudFront-Viewer-Country");
  return async (app: FastifyInstance) => {
    app.decorateRequest("pageContext", null as unknown as RequestContext);
    const gateway = async (request: FastifyRequest<PageRoute>) => {
      request.pageContext = await pages.context({
        requestId: request.id,
        raw: { ...request.query, pageId: request.params.pageId },
        headers: request.headers,
        identity: request.identity,
      });
    };
    app.get<PageRoute>("/v1/pages/:pageId", { preHandler: gateway }, async (request, reply) => {
      const ctx = request.pageContext;
      const composition = await pages.serve(request.params.pageId, ctx);
      const { page } = composition;
      const json = request.headers.accept?.includes("application/json") === true;
      reply.header("server-timing", serverTiming(composition.timing));
      reply.header("vary", vary);
      reply.header("cache-control", cacheControl(page, ctx, composition.degraded));
      if (composition.staleWidgets > 0) reply.header(STALE_HEADER, String(composition.staleWidgets));
      if (composition.etag) {
        const etag = representationEtag(composition.etag, json);
        reply.header("etag", etag);
        if (ifNoneMatchHits(request.headers["if-none-match"], etag)) return reply.code(304).send();
      }
      if (json) return reply.type("application/json").send(jsonOf(page));
      return reply.type("application/x-protobuf").send(composition.bytes);
    });
  };
}
