/**
 * A browser app's build (the operator dashboard, the reference client) served under a prefix: its
 * index.html at the prefix, its bundled scripts and stylesheets beside it. A server started without
 * the build answers 503 naming the command that makes one.
 */
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { notBuilt, notFound } from "./errors.ts";

export interface StaticBuild {
  /** The folder the build writes. */
  dist: string;
  /** The app's name in errors, e.g. "dashboard". */
  name: string;
  /** The npm script that builds it, e.g. "build:dashboard". */
  buildScript: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};
/** A bundle's file names: never a path, so nothing outside the build can be asked for. */
const ASSET = /^[a-z0-9-]+\.(js|css)(\.map)?$/;

export function staticBuildRoutes(build: StaticBuild): FastifyPluginAsync {
  return async (app) => {
    async function send(reply: FastifyReply, file: string) {
      let body: Buffer;
      try {
        body = await readFile(join(build.dist, file));
      } catch {
        throw file === "index.html" ? notBuilt(build.name, build.buildScript) : notFound(`no ${build.name} file ${file}`);
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
      if (!ASSET.test(file)) throw notFound(`no ${build.name} file ${file}`);
      return send(reply, file);
    });
  };
}
