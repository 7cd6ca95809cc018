/**
 * The ceiling: the same fastify, with the same logging, request ids and headers as the compositor,
 * answering the page route with already-composed page bytes (CEILING_PAGE, a file) and no composition.
 */
import fastify from "fastify";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

const body = readFileSync(process.env.CEILING_PAGE!);
const headers = JSON.parse(process.env.CEILING_HEADERS ?? "{}") as Record<string, string>;

const app = fastify({ logger: { level: process.env.LOG_LEVEL ?? "info" }, genReqId: () => randomUUID() });
app.addHook("onSend", async (request, reply) => {
  reply.header("x-request-id", request.id);
});
app.get("/healthz", async () => ({ status: "ok" }));
app.get<{ Params: { pageId: string } }>("/v1/pages/:pageId", async (_request, reply) => {
  reply.headers(headers);
  return reply.type("application/x-protobuf").send(body);
});
await app.listen({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 0) });
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
