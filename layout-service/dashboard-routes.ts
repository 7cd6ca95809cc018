/**
 * The operator dashboard at /dashboard: the files that `npm run build:dashboard` writes (npm start
 * runs it first). A server started without a build answers 503 naming the command that makes one.
 */
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { DASHBOARD_DIST } from "../dashboard/paths.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};
const ASSET = /^[a-z0-9-]+\.(js|css)(\.map)?$/;

export const dashboardRoutes: FastifyPluginAsync<{ dist?: string }> = async (app, options) => {
  const dist = options.dist ?? DASHBOARD_DIST;

  async function send(reply: FastifyReply, file: string) {
    let body: Buffer;
    try {
      body = await readFile(join(dist, file));
    } catch {
      return file === "index.html"
        ? reply.code(503).send({ code: "dashboard-not-built", message: "the dashboard is not built: run npm run build:dashboard" })
        : reply.code(404).send({ code: "not-found", message: `no dashboard file ${file}` });
    }
    // File names carry no content hash, so browsers revalidate every one.
    return reply
      .type(TYPES[extname(file)] ?? "application/octet-stream")
      .header("cache-control", "no-cache")
      .send(body);
  }

  app.get("/", async (_request, reply) => send(reply, "index.html"));
  app.get<{ Params: { file: string } }>("/:file", async (request, reply) => {
    const { file } = request.params;
    if (!ASSET.test(file)) return reply.code(404).send({ code: "not-found", message: `no dashboard file ${file}` });
    return send(reply, file);
  });
};
