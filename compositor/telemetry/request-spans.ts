/**
 * A server span per HTTP request (pages, Connect, everything the server answers), continuing the
 * client's W3C trace context when it sends one; the route's handler runs in it, so the composition's
 * spans are its children. The request's log lines carry its `trace_id` and `span_id`.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import { tracer } from "./tracing.ts";

/** Installs the hooks; before any route is registered, so that every handler is wrapped. */
export function traceRequests(app: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, Span>();

  app.addHook("onRequest", async (request, reply) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": request.method,
          "url.path": request.url.split("?", 1)[0]!,
          ...(route && { "http.route": route }),
        },
      },
      parent,
    );
    spans.set(request, span);
    const { traceId, spanId } = span.spanContext();
    request.log = request.log.child({ trace_id: traceId, span_id: spanId });
    reply.log = request.log;
    // "close" comes however the exchange ends: answered, hijacked (Connect), or the client gone.
    reply.raw.once("close", () => endRequestSpan(span, reply));
  });

  app.addHook("onRoute", (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const span = spans.get(request);
      return span ? context.with(trace.setSpan(context.active(), span), handler, this, request, reply) : handler.call(this, request, reply);
    };
  });
}

function endRequestSpan(span: Span, reply: FastifyReply): void {
  const status = reply.raw.statusCode;
  span.setAttribute("http.response.status_code", status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  if (!reply.raw.writableFinished) span.setAttribute("tessera.response.aborted", true);
  span.end();
}
