/** Requests refused for their size or slowness before any route sees them, as `{code, message}`. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { STATUS_CODES } from "node:http";
import { constants, type Http2ServerRequest } from "node:http2";
import type { Duplex } from "node:stream";
import { ApiError } from "../../api/errors.ts";
import { HEADERS_MAX_BYTES, TOKEN_MAX_BYTES } from "../../api/limits.ts";

function refusalOf(error: NodeJS.ErrnoException): [number, string, string] {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return [431, "headers-too-large", `the request headers exceed ${HEADERS_MAX_BYTES} bytes`];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "request-timeout", "the request was not received in time"];
    default:
      return [400, "bad-request", "the request is not valid HTTP/1.1"];
  }
}

/** fastify's `clientErrorHandler`: what node's HTTP parser or its request deadlines refuse. */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, message] = refusalOf(error);
  const body = JSON.stringify({ code, message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** An onRequest hook: a bearer token too large to be one is refused before anything verifies it. */
export async function refuseOversizedTokens(request: FastifyRequest): Promise<void> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined && Buffer.byteLength(authorization) > TOKEN_MAX_BYTES) {
    throw new ApiError(431, "token-too-large", `the Authorization header exceeds ${TOKEN_MAX_BYTES} bytes`);
  }
}

/**
 * An onRequest hook for HTTP/2, where node has no request deadline of its own: a stream whose body
 * has not arrived within `ms` is reset, so a client trickling bytes cannot hold it open.
 */
export function http2BodyDeadline(ms: number) {
  return async (request: FastifyRequest): Promise<void> => {
    const raw = request.raw as unknown as Http2ServerRequest;
    const timer = setTimeout(() => {
      if (!raw.complete) raw.stream.close(constants.NGHTTP2_CANCEL);
    }, ms);
    timer.unref();
    raw.stream.once("close", () => clearTimeout(timer));
  };
}
