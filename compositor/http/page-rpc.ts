/** `tessera.page.v1.PageService` over Connect, gRPC and gRPC-Web, on the same PageService as the HTTP route. */
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import {
  PageService as PageRpc,
  StreamPageResponseSchema,
  type StreamPageResponse,
} from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { gatewayOf } from "../gateway/gateway-hook.ts";
import type { RawPageRequest } from "../gateway/request-options.ts";
import type { PageRequest, PageService } from "../page-service.ts";
import { edgeHeaders } from "./edge-headers.ts";
import { pageVary, type PageRouteOptions } from "./page-routes.ts";

/** The page request of a call: its parameters from the decoded message, the caller from the gateway hook. */
function pageRequest(raw: RawPageRequest, context: HandlerContext): PageRequest {
  return { ...gatewayOf(context), raw, headers: Object.fromEntries(context.requestHeader.entries()) };
}

/** A queue that a composition pushes into and a server stream pulls from. */
function eventQueue<T>() {
  const items: T[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  return {
    push(item: T) {
      items.push(item);
      wake?.();
    },
    end() {
      done = true;
      wake?.();
    },
    async *drain(): AsyncGenerator<T> {
      for (;;) {
        while (items.length > 0) yield items.shift()!;
        if (done) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
  };
}

/** The ETag of a GetPageResponse: another representation than the HTTP route's (its encoding is in a Connect GET's URL). */
const rpcEtag = (etag: string) => `${etag.slice(0, -1)}.rpc"`;

export function pageRpc(pages: PageService, options: PageRouteOptions) {
  return (router: ConnectRouter) => {
    router.service(PageRpc, {
      async getPage(request, context) {
        const call = await pages.context(pageRequest(request, context));
        const composition = await pages.serve(request.pageId, call.ctx);
        const headers = edgeHeaders(composition, call, {
          ...options,
          vary: pageVary(options.regionHeader, call.named, false),
          etag: composition.etag && rpcEtag(composition.etag),
        });
        for (const [name, value] of Object.entries(headers)) context.responseHeader.set(name, value);
        return { page: composition.page };
      },

      async getWidget(request, context) {
        const call = await pages.context(pageRequest(request, context));
        const { widget, composition } = await pages.serveWidget(request.pageId, request.instanceId, request.pageToken, call.ctx);
        const headers = edgeHeaders(composition, call, {
          ...options,
          vary: pageVary(options.regionHeader, call.named, false),
          etag: composition.etag && rpcEtag(composition.etag),
        });
        for (const [name, value] of Object.entries(headers)) context.responseHeader.set(name, value);
        return { widget };
      },

      async *streamPage(request, context) {
        const queue = eventQueue<StreamPageResponse>();
        const { ctx } = await pages.context(pageRequest(request, context));
        const composed = pages
          .serve(request.pageId, ctx, {
            widget: (position, widget) =>
              queue.push(create(StreamPageResponseSchema, { event: { case: "widget", value: { position, widget } } })),
            omitted: (position, omitted) =>
              queue.push(create(StreamPageResponseSchema, { event: { case: "omitted", value: { position, omitted } } })),
          })
          .finally(() => queue.end());
        // Surface a failed composition even if the stream ends first.
        composed.catch(() => {});
        yield* queue.drain();
        const { page } = await composed;
        yield create(StreamPageResponseSchema, { event: { case: "summary", value: { ...page, widgets: [] } } });
      },
    });
  };
}
