/**
 * POST /v1/events: batches of impressions and clicks from the clients. Anyone may send (signed in
 * or not); the user recorded is the verified token's, never the body's. Accepted batches are
 * answered 202 at once, whatever becomes of them in the sink.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { ApiError, bodyTooLarge, unsupportedEncoding, unsupportedMediaType } from "../../api/errors.ts";
import { EVENTS_BODY_MAX_BYTES, parseEventBatch } from "../events/event-batch.ts";
import type { EventSink } from "../events/event-sink.ts";
import { routeRateLimit } from "../gateway/rate-limit.ts";
import type { EventRejection, Metrics } from "../metrics.ts";

export interface EventRouteOptions {
  sink: EventSink;
  metrics: Pick<Metrics, "eventsReceived" | "eventsRejected">;
  /** Batches per caller per window; 0: none but the API's. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
}

const JSON_TYPE = "application/json";
const PROTOBUF_TYPE = "application/x-protobuf";
const ACCEPTED = [JSON_TYPE, PROTOBUF_TYPE];

function rejectionOf(status: number): EventRejection | undefined {
  if (status === 401) return "unauthenticated";
  if (status === 413) return "too-large";
  if (status === 429) return "rate-limited";
  return status >= 400 && status < 500 ? "invalid" : undefined;
}

export function eventRoutes(options: EventRouteOptions) {
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    for (const type of ACCEPTED) {
      app.addContentTypeParser(type, { parseAs: "buffer", bodyLimit: EVENTS_BODY_MAX_BYTES }, (_request, body, done) => done(null, body));
    }
    // Any other type is refused before its body is read.
    app.addContentTypeParser("*", (request, _payload, done) => done(unsupportedMediaType(request.headers["content-type"], ACCEPTED)));

    // Counts each refusal, then leaves the answer to the server's error handler.
    app.setErrorHandler((error: FastifyError | ApiError) => {
      const status = error instanceof ApiError ? error.status : (error.statusCode ?? 500);
      const rejection = rejectionOf(status);
      if (rejection) options.metrics.eventsRejected(rejection);
      // fastify's own refusal of a body over the limit, in the catalogue's words.
      throw status === 413 && !(error instanceof ApiError) ? bodyTooLarge(EVENTS_BODY_MAX_BYTES) : error;
    });

    const config = options.rateLimitMax > 0 ? routeRateLimit("events", options.rateLimitMax, options.rateLimitWindowMs) : undefined;
    // A compressed body is refused before it is read: the 64 KiB are what the server holds.
    const preParsing = async (request: FastifyRequest) => {
      const encoding = request.headers["content-encoding"];
      if (encoding !== undefined && encoding !== "identity") throw unsupportedEncoding(encoding);
    };
    app.post("/v1/events", { config, preParsing }, async (request, reply) => {
      // A body without a content type is not parsed: refused here.
      if (!(request.body instanceof Buffer)) throw unsupportedMediaType(request.headers["content-type"], ACCEPTED);
      const { userId } = await request.identity;
      const protobuf = request.headers["content-type"]?.toLowerCase().startsWith(PROTOBUF_TYPE) === true;
      const events = parseEventBatch(request.body, protobuf ? "protobuf" : "json");
      const receivedAt = Date.now();
      options.sink.accept(events.map((event) => ({ ...event, userId, receivedAt })));
      for (const type of ["impression", "click"] as const) {
        const count = events.filter((event) => event.type === type).length;
        if (count > 0) options.metrics.eventsReceived(type, count);
      }
      return reply.code(202).send({ accepted: events.length });
    });
  };
}
