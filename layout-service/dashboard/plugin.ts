/**
 * Serves the built operator dashboard at /dashboard. The build (build.ts) runs before
 * `npm start`; a server started without it answers 503 naming the command that builds it.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { DASHBOARD_DIST } from "./build.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};
const ASSET = /^[a-z0-9-]+\.(js|css|map|js\.map|css\.map)$/;

export function dashboardRoutes(options: { dist?: string } = {}) {
  const dist = options.dist ?? DASHBOARD_DIST;
  return async (app: FastifyInstance) => {
    const send = async (file: string, reply: FastifyReply) => {
      let body: Buffer;
      try {
        body = await readFile(join(dist, file));
      } catch {
        const built = file !== "index.html";
        return reply
          .code(built ? 404 : 503)
          .send(built ? { code: "not-found", message: `no dashboard asset ${file}` } : { code: "dashboard-not-built", message: "the dashboard is not built: run npm run build:dashboard" });
      }
      // Asset names carry no hash, so every response is revalidated.
      return reply.type(TYPES[extname(file)] ?? "application/octet-stream").header("cache-control", "no-cache").send(body);
    };
    app.get("/dashboard", async (_request, reply) => send("index.html", reply));
    app.get<{ Params: { file: string } }>("/dashboard/:file", async (request, reply) => {
      const { file } = request.params;
      if (file === "") return send("index.html", reply);
      if (!ASSET.test(file)) return reply.code(404).send({ code: "not-found", message: `no dashboard asset ${file}` });
      return send(file, reply);
    });
  };
}
