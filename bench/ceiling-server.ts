/**
 * The ceiling: the same fastify, with the same logging, request ids and headers as the compositor,
 * answering the page route with already-composed page bytes and no composition: the signed-in
 * page (CEILING_PAGE, a file) to requests with a token, the anonymous one (CEILING_ANONYMOUS_PAGE)
 * to requests without.
 */
import fastify from "fastify";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { logDestination } from "../compositor/telemetry/log-destination.ts";

const body = readFileSync(process.env.CEILING_PAGE!);
const headers = JSON.parse(process.env.CEILING_HEADERS ?? "{}") as Record<string, string>;
const anonymousBody = readFileSync(process.env.CEILING_ANONYMOUS_PAGE!);
const anonymousHeaders = JSON.parse(process.env.CEILING_ANONYMOUS_HEADERS ?? "{}") as Record<string, string>;

const app = fastify({ logger: { level: process.env.LOG_LEVEL ?? "info", stream: logDestination() }, genReqId: () => randomUUID() });
app.addHook("onSend", async (request, reply) => {
  reply.header("x-request-id", request.id);
});
app.get("/healthz", async () => ({ status: "ok" }));
app.get<{ Params: { pageId: string } }>("/v1/pages/:pageId", async (request, reply) => {
  const signedIn = request.headers.authorization !== undefined;
  reply.headers(signedIn ? headers : anonymousHeaders);
  return reply.type("application/x-protobuf").send(signedIn ? body : anonymousBody);
});
await app.listen({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 0) });
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
