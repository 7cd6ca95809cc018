/** `tessera.layout.v1.LayoutService` over Connect: authorize, call the layout admin (errors are mapped by the Connect interceptor). */
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { LayoutService } from "../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { PREVIEW_DEFAULTS, PREVIEW_DIMENSIONS, type PreviewDimension } from "../widget-registry/request-dimensions.ts";
import { authorize, CALLER, type Access, type Caller } from "./access.ts";
import type { LayoutAdmin } from "./layout-admin.ts";
import { draftMessage, layoutDocument, versionMessage, widgetTypeMessage } from "./layout-messages.ts";

export function layoutRpc(admin: LayoutAdmin) {
  /** Runs an RPC for a caller with the access it needs. */
  async function as<T>(context: HandlerContext, access: Access, work: (caller: Caller) => Promise<T>): Promise<T> {
    return work(await authorize(context.requestHeader.get("authorization") ?? undefined, context.values.get(CALLER), access));
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
        as(context, "read", async (caller) => {
          const dimensions = Object.fromEntries(PREVIEW_DIMENSIONS.map((name) => [name, request[name] || PREVIEW_DEFAULTS[name]]));
          const audience = { ...(dimensions as Record<PreviewDimension, string>), userId: request.userId, flags: { ...request.flags } };
          const preview = await admin.preview(caller, request.pageId, layoutDocument(request.layout), audience);
          return { page: preview.page, variantId: preview.variantId };
        }),

      listWidgets: (_request, context) => as(context, "read", async () => ({ widgets: admin.widgets().map(widgetTypeMessage) })),
    });
  };
}
