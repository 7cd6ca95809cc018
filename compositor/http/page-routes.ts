/**
 * `GET /v1/pages/:pageId`: the page as protobuf binary, or protobuf JSON with `Accept: application/json`;
 * `GET /v1/pages/:pageId/widgets/:instanceId?pageToken=…`: one widget of it (load more, a deferred widget), the same way.
 */
import { toJsonString } from "@bufbuild/protobuf";
import { invalidParameter } from "../../api/errors.ts";
import { WidgetSchema } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Composition } from "../composition/composition.ts";
import { PageSchema, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { RequestParameter } from "../../widget-registry/request-dimensions.ts";
import { dimensionHeaders, rawPageRequest } from "../gateway/request-options.ts";
import type { PageCall, PageService } from "../page-service.ts";
import { ifNoneMatchHits, representationEtag } from "./cache-headers.ts";
import { edgeHeaders } from "./edge-headers.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** A page request, built once by the page route's gateway hook. */
    pageCall: PageCall;
  }
}

interface PageRoute {
  Params: { pageId: string; instanceId?: string };
  Querystring: Record<string, string | string[] | undefined>;
}

/** The widget route's page token, from its query. */
function pageTokenOf(query: PageRoute["Querystring"]): string {
  const token = query.pageToken ?? "";
  if (typeof token !== "string") throw invalidParameter("pageToken", "must be given once");
  return token;
}

/**
 * Every header the page depends on, for shared caches: the representation (not for Connect, whose
 * encoding is in its URL), the token (the caller's claims) and the headers of the request
 * dimensions that the request did not name itself (a query parameter beats its header).
 */
export function pageVary(regionHeader: string, named: ReadonlySet<RequestParameter> = new Set(), accept = true): string {
  return [...(accept ? ["Accept"] : []), "Authorization", ...dimensionHeaders(regionHeader, named)].join(", ");
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

export interface PageRouteOptions {
  regionHeader: string;
  edgeMaxAgeSeconds: number;
}

export function pageRoutes(pages: PageService, options: PageRouteOptions) {
  return async (app: FastifyInstance) => {
    app.decorateRequest("pageCall", null as unknown as PageCall);
    const gateway = async (request: FastifyRequest<PageRoute>) => {
      // The widget route's own parameter; the rest is the page's request.
      const { pageToken: _pageToken, ...query } = request.query;
      request.pageCall = await pages.context({
        requestId: request.id,
        raw: rawPageRequest(request.params.pageId, query),
        headers: request.headers,
        identity: request.identity,
      });
    };
    /** The composed answer with a page's headers; 304 when the client's copy is current. */
    function send(
      request: FastifyRequest<PageRoute>,
      reply: FastifyReply,
      composition: Composition,
      json: () => string,
      bytes: Uint8Array,
    ) {
      const call = request.pageCall;
      const wantsJson = request.headers.accept?.includes("application/json") === true;
      const headers = edgeHeaders(composition, call, {
        ...options,
        vary: pageVary(options.regionHeader, call.named),
        etag: composition.etag && representationEtag(composition.etag, wantsJson),
      });
      reply.headers(headers);
      if (headers.etag && ifNoneMatchHits(request.headers["if-none-match"], headers.etag)) return reply.code(304).send();
      if (wantsJson) return reply.type("application/json").send(json());
      return reply.type("application/x-protobuf").send(bytes);
    }

    app.get<PageRoute>("/v1/pages/:pageId", { preHandler: gateway }, async (request, reply) => {
      const composition = await pages.serve(request.params.pageId, request.pageCall.ctx);
      return send(request, reply, composition, () => jsonOf(composition.page), composition.bytes);
    });
    app.get<PageRoute>("/v1/pages/:pageId/widgets/:instanceId", { preHandler: gateway }, async (request, reply) => {
      const { pageId, instanceId } = request.params;
      const { widget, bytes, composition } = await pages.serveWidget(pageId, instanceId!, pageTokenOf(request.query), request.pageCall.ctx);
      return send(request, reply, composition, () => toJsonString(WidgetSchema, widget), bytes);
    });
  };
}
