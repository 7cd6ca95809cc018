/** The operator dashboard, served at /dashboard (issue 4 builds it); a pointer to the API until then. */
import type { FastifyPluginAsync } from "fastify";

export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  app.get("/", async (_request, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .send("<!doctype html><title>Tessera layouts</title><p>The dashboard is not built yet. The API is <code>tessera.layout.v1.LayoutService</code> over Connect.</p>"),
  );
};
