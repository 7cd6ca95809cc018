/** `GET /v1/pages/:pageId`: the page as protobuf binary, or protobuf JSON with `Accept: application/json`. */
import { toBinary, toJsonString } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { PageSchema } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { PageService } from "../page-service.ts";
import { serverTiming } from "./server-timing.ts";

interface PageRoute {
  Params: { pageId: string };
  Querystring: Record<string, string | undefined>;
}

/** Every header the page depends on (the gateway reads them into the request context), for shared caches. */
export function pageVary(regionHeader: string): string {
  return ["Accept", "Authorization", "Accept-Language", "X-Device-Id", "X-Tessera-Platform", "X-Tessera-Client-Version", regionHeader].join(", ");
}

export function pageRoutes(pages: PageService, options: { regionHeader?: string } = {}) {
  const vary = pageVary(options.regionHeader ?? "CloudFront-Viewer-Country");
  return async (app: FastifyInstance) => {
    app.get<PageRoute>("/v1/pages/:pageId", async (request, reply) => {
      const ctx = await pages.context({
        requestId: request.id,
        raw: { ...request.query, pageId: request.params.pageId },
        headers: request.headers,
      });
      const { page, timing } = await pages.serve(request.params.pageId, ctx);
      reply.header("server-timing", serverTiming(timing));
      reply.header("vary", vary);
      reply.header("cache-control", ctx.userId ? "private, no-store" : `public, max-age=0, s-maxage=${page.cache?.maxAgeSeconds ?? 0}`);
      if (request.headers.accept?.includes("application/json")) {
        return reply.type("application/json").send(toJsonString(PageSchema, page));
      }
      return reply.type("application/x-protobuf").send(Buffer.from(toBinary(PageSchema, page)));
    });
  };
}
