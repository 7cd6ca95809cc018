/**
 * The signed-in user's writes: record watch progress, toggle a favorite. A write the user DDS cannot
 * take right now is 503 `data-unavailable` with Retry-After, naming the DDS only, never a 500.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { DdsClient } from "../../dds/client.ts";
import { dataUnavailable, invalidParameter, unauthenticated } from "../../api/errors.ts";
import { DdsUnavailable } from "../dds-guard/dds-unavailable.ts";

const progressBody = z.object({ progressPercent: z.number().int().min(0).max(100) });
const contentIdParam = z.string().regex(/^m\d+$/, "must be a content id such as m12");

export function userRoutes(dds: DdsClient) {
  return async (app: FastifyInstance) => {
    async function signedInUser(request: FastifyRequest): Promise<string> {
      const identity = await request.identity;
      if (!identity.userId) throw unauthenticated("sign in: this route needs a bearer token");
      return identity.userId;
    }
    function contentIdOf(value: string): string {
      const parsed = contentIdParam.safeParse(value);
      if (!parsed.success) throw invalidParameter("contentId", parsed.error.issues[0]!.message);
      return parsed.data;
    }

    async function written<T>(write: () => Promise<T>): Promise<T> {
      try {
        return await write();
      } catch (error) {
        if (error instanceof DdsUnavailable) throw dataUnavailable(`${error.message}; try again`);
        throw error;
      }
    }

    app.put<{ Params: { contentId: string } }>("/v1/me/progress/:contentId", async (request) => {
      const userId = await signedInUser(request);
      const contentId = contentIdOf(request.params.contentId);
      const body = progressBody.safeParse(request.body);
      if (!body.success) throw invalidParameter("progressPercent", "must be an integer from 0 to 100");
      const { history } = await written(() => dds.user.recordProgress({ userId, contentId, progressPercent: body.data.progressPercent }));
      return { entries: history?.entries.map((e) => ({ contentId: e.contentId, progressPercent: e.progressPercent })) ?? [] };
    });

    app.post<{ Params: { contentId: string } }>("/v1/me/favorites/:contentId/toggle", async (request) => {
      const userId = await signedInUser(request);
      const contentId = contentIdOf(request.params.contentId);
      const { favorite } = await written(() => dds.user.toggleFavorite({ userId, contentId }));
      return { favorite };
    });
  };
}
