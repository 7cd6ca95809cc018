/**
 * The one HTTP error handler: an ApiError leaves as `{code, message}` with its status (and the layout's
 * `problems` when it has some); fastify's own 4xx (a body that does not parse) as `bad-request`;
 * anything else as a 500 `internal`, logged, never with its stack.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { ApiError, INTERNAL } from "./errors.ts";

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      const problems = error.problems.length > 0 ? { problems: error.problems } : {};
      return reply
        .code(error.status)
        .headers(error.headers)
        .send({ code: error.code, message: error.message, ...problems });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ code: "bad-request", message: error.message });
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.code(500).send(INTERNAL);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: "not-found", message: `no route ${request.method} ${request.url.split("?")[0]}` }),
  );
}
