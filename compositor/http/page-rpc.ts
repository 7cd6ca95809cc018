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
import { STALE_HEADER } from "./cache-headers.ts";
import { serverTiming } from "./server-timing.ts";

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

export function pageRpc(pages: PageService) {
  return (router: ConnectRouter) => {
    router.service(PageRpc, {
      async getPage(request, context) {
        const ctx = await pages.context(pageRequest(request, context));
        const { page, timing, staleWidgets } = await pages.serve(request.pageId, ctx);
        context.responseHeader.set("server-timing", serverTiming(timing));
        if (staleWidgets > 0) context.responseHeader.set(STALE_HEADER, String(staleWidgets));
        return { page };
      },

      async *streamPage(request, context) {
        const queue = eventQueue<StreamPageResponse>();
        const ctx = await pages.context(pageRequest(request, context));
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
