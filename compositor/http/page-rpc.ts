/** `tessera.page.v1.PageService` over Connect, gRPC and gRPC-Web, on the same PageService as the HTTP route. */
import { create } from "@bufbuild/protobuf";
import { ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { randomUUID } from "node:crypto";
import { PageService as PageRpc, StreamPageResponseSchema, type StreamPageResponse } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { ApiError, connectCode } from "../gateway/api-error.ts";
import type { RawPageRequest } from "../gateway/request-options.ts";
import type { PageService } from "../page-service.ts";
import { serverTiming } from "./server-timing.ts";

function headersOf(context: HandlerContext): Record<string, string> {
  return Object.fromEntries(context.requestHeader.entries());
}

function rpcError(error: unknown): unknown {
  return error instanceof ApiError ? new ConnectError(error.message, connectCode(error.status)) : error;
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
        try {
          const ctx = await pages.context({ requestId: randomUUID(), raw: request as RawPageRequest, headers: headersOf(context) });
          const { page, timing } = await pages.serve(request.pageId, ctx);
          context.responseHeader.set("server-timing", serverTiming(timing));
          return { page };
        } catch (error) {
          throw rpcError(error);
        }
      },

      async *streamPage(request, context) {
        const queue = eventQueue<StreamPageResponse>();
        let ctx;
        try {
          ctx = await pages.context({ requestId: randomUUID(), raw: request as RawPageRequest, headers: headersOf(context) });
        } catch (error) {
          throw rpcError(error);
        }
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
        try {
          const { page } = await composed;
          yield create(StreamPageResponseSchema, { event: { case: "summary", value: { ...page, widgets: [] } } });
        } catch (error) {
          throw rpcError(error);
        }
      },
    });
  };
}
