/**
 * Connect services on fastify (Connect, gRPC, gRPC-Web; binary and JSON; compressed), in place of
 * connect-fastify's plugin, so that every request is bounded and every refusal readable:
 * - the body is read by fastify with a byte limit (413 as soon as it is exceeded), and a message
 *   decompresses to at most the same limit (connect-es stops the inflater there);
 * - a message connect-es cannot read is answered invalid_argument (413 when too large), not internal;
 * - errors thrown by hooks of the scope (authentication before the body is read, limits) leave in
 *   the request's protocol, `{code, message}` for Connect.
 */
import {
  Code,
  ConnectError,
  createConnectRouter,
  createContextKey,
  createContextValues,
  type ConnectRouter,
  type ConnectRouterOptions,
  type ContextValues,
  type Interceptor,
} from "@connectrpc/connect";
import { createAsyncIterable } from "@connectrpc/connect/protocol";
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from "fastify";
import { toConnectError } from "./connect-errors.ts";
import { connectInputError } from "./connect-input-errors.ts";
import { responseError, rpcProtocolOf, sendRpcError } from "./connect-wire.ts";
import { ApiError, connectCode } from "./errors.ts";
import { BODY_MAX_BYTES } from "./limits.ts";

export interface ConnectRoutesOptions extends Partial<ConnectRouterOptions> {
  routes: (router: ConnectRouter) => void;
  /** Values for the handlers' context, from the fastify request. */
  contextValues?: (request: FastifyRequest) => ContextValues;
  /**
   * connect-es reads the request as it arrives, each message bounded by `readMaxBytes`, instead of
   * fastify reading the whole body first: for bidi streams whose client waits for an answer before it
   * sends its next message (gRPC reflection). On HTTP/2 the body deadline still bounds the stream.
   */
  streamRequests?: boolean;
}

/** Set once connect-es has read the request message and hands it on. */
const messageRead = createContextKey(false);

/**
 * Marks the request message read, and names a stream's message that cannot be read as the client's
 * fault where the route cannot (it maps an error before the first message from the response, unless
 * the request is streamed).
 */
function markMessageRead(streamRequests: boolean): Interceptor {
  return (next) => async (request) => {
    if (!request.stream) {
      request.contextValues.set(messageRead, true);
      return next(request);
    }
    const messages = request.message;
    return next({
      ...request,
      message: (async function* () {
        try {
          for await (const message of messages) {
            request.contextValues.set(messageRead, true);
            yield message;
          }
        } catch (error) {
          const mappedByRoute = !streamRequests && !request.contextValues.get(messageRead);
          throw error instanceof ConnectError && !mappedByRoute ? connectInputError(error, request.method.name) : error;
        }
      })(),
    });
  };
}

/**
 * A streamed request's body as connect-es reads it. When connect-es stops reading early (an error may
 * answer a request before all of it is read), the rest is read and dropped instead of the request being
 * destroyed: an HTTP/2 stream left with unread data never closes, and holds its session and the
 * server's close. A client that keeps sending is cut by the body deadline.
 */
function requestBody(raw: FastifyRequest["raw"]): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const chunks = raw.iterator({ destroyOnReturn: false }) as AsyncIterator<Uint8Array>;
      return {
        next: () => chunks.next(),
        async return() {
          await chunks.return?.();
          raw.resume();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

export function connectRoutes(options: ConnectRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    const { routes, contextValues, streamRequests, ...routerOptions } = options;
    const router = createConnectRouter({
      acceptCompression: [compressionGzip, compressionBrotli],
      readMaxBytes: BODY_MAX_BYTES,
      ...routerOptions,
      interceptors: [markMessageRead(streamRequests === true), ...(options.interceptors ?? [])],
    });
    routes(router);

    app.removeAllContentTypeParsers();
    if (streamRequests) app.addContentTypeParser("*", (_request, _body, done) => done(null, undefined));
    else app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: BODY_MAX_BYTES }, (_request, body, done) => done(null, body));
    app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
      const status = error instanceof ApiError ? error.status : (error.statusCode ?? 500);
      // fastify's own refusals (a body over the limit, a bad Content-Length) are the client's; the rest is mapped as everywhere.
      const refusal =
        status < 500 && !(error instanceof ApiError)
          ? new ConnectError(error.message, connectCode(status))
          : toConnectError(error, (internal) => request.log.error({ err: internal }, "unhandled error"));
      return sendRpcError(reply, rpcProtocolOf(request.headers["content-type"]), refusal, status < 500 ? status : undefined);
    });

    for (const handler of router.handlers) {
      const method = handler.method.name;
      app.all(handler.requestPath, async (request, reply) => {
        const protocol = rpcProtocolOf(request.headers["content-type"]);
        const values = contextValues?.(request) ?? createContextValues();
        const body = streamRequests
          ? requestBody(request.raw)
          : createAsyncIterable(request.body instanceof Uint8Array ? [request.body] : []);
        // connect-node takes a parsed JSON body or reads the request; a byte iterable reads as the body.
        let response = await handler(universalRequestFromNodeRequest(request.raw, reply.raw, body as never, values));
        if (response.status === 405 || response.status === 415) {
          const refusal =
            response.status === 405
              ? `${method} does not answer ${request.method}`
              : `${method} does not read content type "${(request.headers["content-type"] ?? "").slice(0, 100)}"`;
          return sendRpcError(reply, protocol, new ConnectError(refusal, Code.InvalidArgument), response.status);
        }
        // A streamed request's answer cannot wait for the whole response: its client may be waiting for the first message.
        if (!streamRequests && !values.get(messageRead)) {
          const read = await responseError(response, protocol);
          if (read.error) {
            const error = connectInputError(read.error, method);
            const tooLarge = error.code === Code.ResourceExhausted;
            return sendRpcError(reply, protocol, error, tooLarge ? 413 : undefined);
          }
          response = read.response;
        }
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (value !== undefined) reply.raw.setHeader(name, value);
        }
        reply.hijack();
        try {
          await universalResponseToNodeResponse(response, reply.raw);
        } catch (error) {
          request.log.debug({ err: error }, "connect response not delivered");
        }
      });
    }
  };
}
