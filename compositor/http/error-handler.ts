/** Every error leaves as `{code, message}` with a 4xx/5xx status; never a stack trace. */
import type { FastifyError, FastifyInstance } from "fastify";
import { ApiError } from "../gateway/api-error.ts";

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.status).send({ code: error.code, message: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ code: "bad-request", message: error.message });
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.code(500).send({ code: "internal", message: "internal error; the request id is in the logs" });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: "not-found", message: `no route ${request.method} ${request.url.split("?")[0]}` }),
  );
}
