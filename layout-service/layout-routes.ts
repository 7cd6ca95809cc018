/**
 * The layout API as plain JSON over HTTP, beside the Connect service, for curl and scripts:
 * the same operations, roles and errors ({code, message, problems?}; 409 "conflict" on a stale write).
 */
import { toJson } from "@bufbuild/protobuf";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { z } from "zod";
import { PageSchema } from "../protos/gen/tessera/page/v1/page_pb.js";
import { invalidParameter } from "../api/errors.ts";
import { PREVIEW_DEFAULTS, PREVIEW_DIMENSIONS, type PreviewDimension } from "../widget-registry/request-dimensions.ts";
import { authorize, type Access, type CallerOf } from "./access.ts";
import type { LayoutAdmin } from "./layout-admin.ts";

const publishBody = z.object({
  message: z.string().default(""),
  draftRevision: z.number().int().min(0),
  baseVersion: z.number().int().min(0),
});
const draftBody = z.object({ layout: z.unknown(), baseRevision: z.number().int().min(0) });
const validateBody = z.object({ layout: z.unknown().optional() }).default({});
const rollbackBody = z.object({
  toVersion: z.number().int().min(1),
  baseVersion: z.number().int().min(0),
  message: z.string().default(""),
});
const previewDimensions = Object.fromEntries(
  PREVIEW_DIMENSIONS.map((name) => [name, z.string().default(PREVIEW_DEFAULTS[name])]),
) as Record<PreviewDimension, z.ZodDefault<z.ZodString>>;
const previewBody = z
  .object({
    layout: z.unknown().optional(),
    ...previewDimensions,
    userId: z.string().default(""),
    flags: z.record(z.string(), z.string()).default({}),
  })
  .default({ ...PREVIEW_DEFAULTS, userId: "", flags: {} });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? undefined);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalidParameter(issue.path.join(".") || "body", issue.message);
  }
  return result.data;
}

type PageRequest = FastifyRequest<{ Params: { pageId: string } }>;

export function layoutRoutes(admin: LayoutAdmin, callerOf: CallerOf): FastifyPluginAsync {
  return async (app) => {
    const caller = (request: FastifyRequest, access: Access) => authorize(request.headers.authorization, callerOf(request), access);
    // Every route needs at least a reader: a caller without one is refused before its body is read.
    app.addHook("onRequest", async (request) => {
      await caller(request, "read");
    });

    app.get("/v1/layouts", async (request) => {
      await caller(request, "read");
      return { pages: await admin.listPages() };
    });
    app.get("/v1/layouts/:pageId", async (request: PageRequest) => {
      await caller(request, "read");
      return admin.getLayout(request.params.pageId);
    });
    app.put("/v1/layouts/:pageId/draft", async (request: PageRequest) => {
      const { userId } = await caller(request, "write");
      const body = parse(draftBody, request.body);
      return { draft: await admin.saveDraft(userId, request.params.pageId, body.layout, body.baseRevision) };
    });
    app.post("/v1/layouts/:pageId/validate", async (request: PageRequest) => {
      await caller(request, "read");
      const { problems } = await admin.validate(request.params.pageId, parse(validateBody, request.body).layout);
      return { problems };
    });
    app.post("/v1/layouts/:pageId/publish", async (request: PageRequest) => {
      const { userId } = await caller(request, "write");
      return { version: await admin.publish(userId, request.params.pageId, parse(publishBody, request.body)) };
    });
    app.get("/v1/layouts/:pageId/history", async (request: PageRequest) => {
      await caller(request, "read");
      return { versions: await admin.history(request.params.pageId) };
    });
    app.post("/v1/layouts/:pageId/rollback", async (request: PageRequest) => {
      const { userId } = await caller(request, "write");
      return { version: await admin.rollback(userId, request.params.pageId, parse(rollbackBody, request.body)) };
    });
    app.post("/v1/layouts/:pageId/preview", async (request: PageRequest) => {
      const who = await caller(request, "read");
      const { layout, ...audience } = parse(previewBody, request.body);
      const preview = await admin.preview(who, request.params.pageId, layout, audience);
      return { variantId: preview.variantId, page: toJson(PageSchema, preview.page) };
    });
    app.get("/v1/widgets", async (request) => {
      await caller(request, "read");
      return { widgets: admin.widgets() };
    });
  };
}
