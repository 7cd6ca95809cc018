/**
 * `POST /v1/content/changes`: an editorial change (dds/content/changes.ts) onto the content-change
 * stream, for operators. It is how `npm run content` reaches a single instance without Redis; with
 * Redis the command appends to the stream itself, and this route does the same.
 */
import type { FastifyInstance } from "fastify";
import { forbidden, invalidParameter, unauthenticated } from "../../api/errors.ts";
import { InvalidChange, parseChange, type ContentChanges } from "../../dds/content/changes.ts";

export function contentRoutes(changes: ContentChanges) {
  return async (app: FastifyInstance) => {
    app.post("/v1/content/changes", async (request) => {
      const identity = await request.identity;
      if (!identity.userId)
        throw unauthenticated("content changes need a bearer token with the operator role (npm run token -- --user alice --role operator)");
      if (!identity.roles.includes("operator"))
        throw forbidden(`content changes need the role operator; ${identity.userId} has ${identity.roles.join(", ") || "no role"}`);
      try {
        const { seq, entity } = await changes.publish(parseChange(request.body));
        return { seq, entity };
      } catch (error) {
        if (error instanceof InvalidChange) throw invalidParameter(error.field, error.problem);
        throw error;
      }
    });
  };
}
