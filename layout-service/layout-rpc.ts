/** `tessera.layout.v1.LayoutService` over Connect: authorize, call the layout admin, map errors to codes. */
import { ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { ValidationProblemsSchema } from "../protos/gen/tessera/layout/v1/layout_pb.js";
import { LayoutService } from "../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { authorize, type Access, type Authenticate, type Caller } from "./access.ts";
import { asHttpError, connectCode, LayoutError } from "./errors.ts";
import type { LayoutAdmin } from "./layout-admin.ts";
import { draftMessage, layoutDocument, versionMessage, widgetTypeMessage } from "./layout-messages.ts";

function rpcError(error: unknown): unknown {
  const http = asHttpError(error);
  if (!http) return error;
  const problems = error instanceof LayoutError ? error.problems : [];
  const details = problems.length > 0 ? [{ desc: ValidationProblemsSchema, value: { problems: [...problems] } }] : [];
  return new ConnectError(http.message, connectCode(http.status), undefined, details);
}

export function layoutRpc(admin: LayoutAdmin, authenticate: Authenticate) {
  /** Runs an RPC for a caller with the access it needs, with errors as Connect codes. */
  async function as<T>(context: HandlerContext, access: Access, work: (caller: Caller) => Promise<T>): Promise<T> {
    try {
      return await work(await authorize(authenticate, context.requestHeader.get("authorization") ?? undefined, access));
    } catch (error) {
      throw rpcError(error);
    }
  }

  return (router: ConnectRouter) => {
    router.service(LayoutService, {
      listPages: (_request, context) => as(context, "read", async () => ({ pages: await admin.listPages() })),

      getLayout: (request, context) =>
        as(context, "read", async () => {
          const { published, draft } = await admin.getLayout(request.pageId);
          return { published: published && versionMessage(published), draft: draftMessage(draft) };
        }),

      saveDraft: (request, context) =>
        as(context, "write", async (caller) => {
          const draft = await admin.saveDraft(caller.userId, request.pageId, layoutDocument(request.layout) ?? {}, request.baseRevision);
          return { draft: draftMessage(draft) };
        }),

      validateDraft: (request, context) =>
        as(context, "read", async () => ({ problems: (await admin.validate(request.pageId, layoutDocument(request.layout))).problems })),

      publish: (request, context) =>
        as(context, "write", async (caller) => {
          const version = await admin.publish(caller.userId, request.pageId, request);
          return { version: versionMessage(version) };
        }),

      listHistory: (request, context) =>
        as(context, "read", async () => ({ versions: (await admin.history(request.pageId)).map(versionMessage) })),

      rollback: (request, context) =>
        as(context, "write", async (caller) => ({ version: versionMessage(await admin.rollback(caller.userId, request.pageId, request)) })),

      previewDraft: (request, context) =>
        as(context, "read", async () => {
          const preview = await admin.preview(request.pageId, layoutDocument(request.layout), {
            platform: request.platform || "web",
            clientVersion: request.clientVersion || "5.0.0",
            cohort: request.cohort,
            region: request.region,
            userId: request.userId,
            locale: request.locale || "en",
            flags: { ...request.flags },
          });
          return { page: preview.page, variantId: preview.variantId };
        }),

      listWidgets: (_request, context) => as(context, "read", async () => ({ widgets: admin.widgets().map(widgetTypeMessage) })),
    });
  };
}
