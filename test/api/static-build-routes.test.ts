/** A browser app's build served under a prefix: index.html, its assets, and clear refusals. */
import fastify from "fastify";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installErrorHandling } from "../../api/http-errors.ts";
import { staticBuildRoutes } from "../../api/static-build-routes.ts";

let dist: string;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), "tessera-static-"));
  await writeFile(join(dist, "index.html"), "<!doctype html>");
  await writeFile(join(dist, "app.js"), "export {};");
});
afterAll(() => rm(dist, { recursive: true, force: true }));

async function serve(from: string) {
  const app = fastify();
  installErrorHandling(app);
  await app.register(staticBuildRoutes({ dist: from, name: "app", buildScript: "build:app" }), { prefix: "/app" });
  return app;
}

describe("staticBuildRoutes", () => {
  it("serves index.html at the prefix, with and without a slash, and the build's assets", async () => {
    const app = await serve(dist);
    for (const url of ["/app", "/app/"]) {
      const page = await app.inject(url);
      expect([page.statusCode, page.headers["content-type"], page.body]).toEqual([200, "text/html; charset=utf-8", "<!doctype html>"]);
    }
    const script = await app.inject("/app/app.js");
    expect([script.statusCode, script.headers["content-type"], script.headers["cache-control"]]).toEqual([
      200,
      "text/javascript; charset=utf-8",
      "no-cache",
    ]);
  });

  it("refuses a name that is not a bundle's file, or one the build does not have, with 404", async () => {
    const app = await serve(dist);
    for (const file of ["..%2Fpackage.json", "index.html", "missing.js"]) {
      const response = await app.inject(`/app/${file}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("not-found");
    }
  });

  it("answers 503 naming the command that builds the app when there is no build", async () => {
    const app = await serve(join(dist, "not-built"));
    const response = await app.inject("/app/");
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ code: "app-not-built", message: "the app is not built: run npm run build:app" });
  });
});
