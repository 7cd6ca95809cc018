/**
 * The dashboard's client of tessera.layout.v1.LayoutService over Connect, translating between
 * the protos and the layout model's JSON shape the editor works on.
 */
import { create, fromJson, toJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import {
  PageLayoutSchema,
  ValidationProblemsSchema,
  type LayoutVersion,
  type PageLayout as PageLayoutMessage,
} from "../../protos/gen/tessera/layout/v1/layout_pb.js";
import { LayoutService } from "../../protos/gen/tessera/layout/v1/layout_service_pb.js";
import type { Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";
import { parsePath } from "./problems.ts";
import type {
  JsonSchema,
  PageLayout,
  PageState,
  PageSummary,
  PreviewAudience,
  PreviewItem,
  PreviewPage,
  PreviewWidget,
  Problem,
  PublishedVersion,
  WidgetInfo,
  TemplateStatus,
} from "./types.ts";

export type FailureKind = "invalid" | "conflict" | "unauthenticated" | "forbidden" | "not-found" | "unavailable" | "other";

/** A refused call, with the layout's problems when the server listed them. */
export class ApiFailure extends Error {
  readonly kind: FailureKind;
  readonly problems: Problem[];
  constructor(kind: FailureKind, message: string, problems: Problem[] = []) {
    super(message);
    this.kind = kind;
    this.problems = problems;
  }
}

const KINDS: Partial<Record<Code, FailureKind>> = {
  [Code.InvalidArgument]: "invalid",
  [Code.Aborted]: "conflict",
  [Code.FailedPrecondition]: "conflict",
  [Code.Unauthenticated]: "unauthenticated",
  [Code.PermissionDenied]: "forbidden",
  [Code.NotFound]: "not-found",
  [Code.Unavailable]: "unavailable",
};

function failure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  const connect = ConnectError.from(error);
  const problems = connect
    .findDetails(ValidationProblemsSchema)
    .flatMap((detail) => detail.problems)
    .map((problem) => ({ path: parsePath(problem.path), message: problem.message }));
  return new ApiFailure(KINDS[connect.code] ?? "other", connect.rawMessage, problems);
}

/** Proto JSON leaves out defaults; the editor wants every placement field present. */
export function layoutFromMessage(message: PageLayoutMessage): PageLayout {
  const json = toJson(PageLayoutSchema, message) as unknown as PageLayout;
  return {
    pageId: json.pageId,
    // The dashboard does not edit a page's parameters, but keeps them through a save.
    ...(json.parameters?.length ? { parameters: json.parameters } : {}),
    variants: (json.variants ?? []).map((variant) => ({
      ...variant,
      match: variant.match ?? {},
      placements: (variant.placements ?? []).map((placement) => ({
        ...placement,
        templateVersion: placement.templateVersion || "newest",
        config: placement.config ?? {},
        essential: placement.essential ?? false,
        deferred: placement.deferred ?? false,
      })),
    })),
  };
}

export function layoutToMessage(layout: PageLayout): PageLayoutMessage {
  return fromJson(PageLayoutSchema, layout as unknown as JsonValue);
}

const isoTime = (timestamp: Timestamp | undefined) => (timestamp ? timestampDate(timestamp).toISOString() : "");

function publishedVersion(version: LayoutVersion): PublishedVersion {
  return {
    version: version.version,
    layout: layoutFromMessage(version.layout ?? create(PageLayoutSchema, { pageId: version.pageId })),
    author: version.author,
    time: isoTime(version.publishedAt),
    message: version.message,
    rolledBackFrom: version.rolledBackFrom,
  };
}

function previewItem(item: Item): PreviewItem {
  return {
    title: item.title,
    imageUrl: item.image?.url ?? "",
    badge: item.badge,
    progressPercent: item.progressPercent,
    ageRating: item.ageRating,
  };
}

export function previewPage(page: Page, variantId: string): PreviewPage {
  const widgets = page.widgets.map((widget): PreviewWidget => {
    const base = { instanceId: widget.instanceId, type: widget.type, templateVersion: widget.templateVersion };
    switch (widget.body.case) {
      case "hero":
        return { ...base, kind: "hero", title: "", items: widget.body.value.slides.map(previewItem) };
      case "tray":
        return { ...base, kind: "tray", title: widget.body.value.title, items: widget.body.value.items.map(previewItem) };
      case "continueWatching":
        return { ...base, kind: "continue-watching", title: widget.body.value.title, items: widget.body.value.items.map(previewItem) };
      case "grid":
        return { ...base, kind: "grid", title: widget.body.value.title, items: widget.body.value.items.map(previewItem) };
      default: {
        // A widget body this dashboard does not know yet: show what every body has in common.
        const value = (widget.body as { value?: { title?: unknown; items?: Item[] } }).value;
        return {
          ...base,
          kind: "other",
          title: typeof value?.title === "string" ? value.title : "",
          items: (value?.items ?? []).map(previewItem),
        };
      }
    }
  });
  return {
    layoutVersion: page.layoutVersion,
    variantId,
    widgets,
    omitted: page.errors.map(({ instanceId, type, reason, message }) => ({ instanceId, type, reason, message })),
    experiments: page.experiments.map(({ flag, variation }) => ({ flag, variation })),
  };
}

export interface DashboardApi {
  listPages(): Promise<PageSummary[]>;
  getPage(pageId: string): Promise<PageState>;
  listWidgets(): Promise<WidgetInfo[]>;
  validate(pageId: string, layout: PageLayout): Promise<Problem[]>;
  saveDraft(
    pageId: string,
    layout: PageLayout,
    baseRevision: number,
  ): Promise<{ revision: number; layout: PageLayout; author: string; savedAt: string }>;
  publish(pageId: string, message: string, draftRevision: number, baseVersion: number): Promise<PublishedVersion>;
  history(pageId: string): Promise<PublishedVersion[]>;
  rollback(pageId: string, toVersion: number, baseVersion: number, message: string): Promise<PublishedVersion>;
  preview(pageId: string, layout: PageLayout, audience: PreviewAudience): Promise<PreviewPage>;
}

export function createApi(baseUrl: string, token: () => string | undefined, onUnauthenticated: () => void): DashboardApi {
  const auth: Interceptor = (next) => async (request) => {
    const bearer = token();
    if (bearer) request.header.set("authorization", `Bearer ${bearer}`);
    return next(request);
  };
  const client = createClient(LayoutService, createConnectTransport({ baseUrl, interceptors: [auth] }));
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const refused = failure(error);
      if (refused.kind === "unauthenticated") onUnauthenticated();
      throw refused;
    }
  };

  return {
    listPages: () =>
      call(async () =>
        (await client.listPages({})).pages.map((page) => ({
          pageId: page.pageId,
          publishedVersion: page.publishedVersion,
          draftRevision: page.draftRevision,
          hasUnpublishedChanges: page.hasUnpublishedChanges,
        })),
      ),
    getPage: (pageId) =>
      call(async () => {
        const { draft, published } = await client.getLayout({ pageId });
        return {
          pageId,
          draft: layoutFromMessage(draft?.layout ?? published?.layout ?? create(PageLayoutSchema, { pageId })),
          draftRevision: draft?.revision ?? 0,
          draftAuthor: draft?.author ?? "",
          draftSavedAt: isoTime(draft?.savedAt),
          published: published ? publishedVersion(published) : undefined,
        };
      }),
    listWidgets: () =>
      call(async () =>
        (await client.listWidgets({})).widgets.map((widget) => ({
          type: widget.type,
          description: widget.body,
          cacheScope: widget.cacheScope,
          templates: widget.templates.map((template) => ({
            version: template.version,
            status: template.status as TemplateStatus,
            minClientVersion: { ...template.minClientVersion },
          })),
          configSchema: (widget.configSchema ?? {}) as JsonObject as JsonSchema,
        })),
      ),
    validate: (pageId, layout) =>
      call(async () =>
        (await client.validateDraft({ pageId, layout: layoutToMessage(layout) })).problems.map((problem) => ({
          path: parsePath(problem.path),
          message: problem.message,
        })),
      ),
    saveDraft: (pageId, layout, baseRevision) =>
      call(async () => {
        const { draft } = await client.saveDraft({ pageId, layout: layoutToMessage(layout), baseRevision });
        return {
          revision: draft?.revision ?? baseRevision + 1,
          layout: draft?.layout ? layoutFromMessage(draft.layout) : layout,
          author: draft?.author ?? "",
          savedAt: isoTime(draft?.savedAt),
        };
      }),
    publish: (pageId, message, draftRevision, baseVersion) =>
      call(async () => publishedVersion((await client.publish({ pageId, message, draftRevision, baseVersion })).version!)),
    history: (pageId) => call(async () => (await client.listHistory({ pageId })).versions.map(publishedVersion)),
    rollback: (pageId, toVersion, baseVersion, message) =>
      call(async () => publishedVersion((await client.rollback({ pageId, toVersion, baseVersion, message })).version!)),
    preview: (pageId, layout, audience) =>
      call(async () => {
        const response = await client.previewDraft({ pageId, layout: layoutToMessage(layout), ...audience });
        return previewPage(response.page!, response.variantId);
      }),
  };
}
