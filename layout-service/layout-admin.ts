/**
 * The layout service's operations, whatever the transport: read, save drafts, validate, publish,
 * roll back, preview. Callers are already authenticated; `author` is who writes.
 */
import type { Page } from "../protos/gen/tessera/page/v1/page_pb.js";
import type { WidgetRegistry } from "../widget-registry/registry.ts";
import { authorizePreviewAs, type Caller } from "./access.ts";
import type { PreviewDimension } from "../widget-registry/request-dimensions.ts";
import { describeWidget, type WidgetDescription } from "../widget-registry/describe.ts";
import { conflict, invalidLayout, invalidParameter, notFound, notImplemented, pageNotFound } from "../api/errors.ts";
import type { PageLayout, PublishedLayout } from "./model.ts";
import { PAGE_ID, PAGE_ID_RULE } from "./page-id.ts";
import { StaleWriteError, type LayoutStore, type StoredDraft, type StoredVersion } from "./store.ts";
import { validateLayout, type Validation } from "./validate.ts";

/** Who a preview composes for: the request dimensions a preview may set, the user whose data it shows, the flags it assumes. */
export type PreviewAudience = Record<PreviewDimension, string> & {
  userId: string;
  /** Feature flag → variation to assume. */
  flags: Record<string, string>;
};

export interface Preview {
  page: Page;
  variantId: string;
}

/**
 * Composes a layout for an audience, as the compositor would serve it. Handed in by the server's
 * start-up: the layout service never imports the compositor. undefined when no variant matches.
 */
export type ComposePreview = (layout: PublishedLayout, audience: PreviewAudience) => Promise<Preview | undefined>;

export interface PageSummary {
  pageId: string;
  publishedVersion: number;
  draftRevision: number;
  hasUnpublishedChanges: boolean;
}

/** Where previews as a named user are recorded, who asked and as whom: the server's pino logger. */
export interface AuditLog {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface LayoutAdminOptions {
  store: LayoutStore;
  registry: WidgetRegistry;
  compose?: ComposePreview;
  log?: AuditLog;
  now?: () => Date;
}

export interface LayoutAdmin {
  listPages(): Promise<PageSummary[]>;
  /** The published version (if any) and the draft: the saved one, or a copy of the published at revision 0. */
  getLayout(pageId: string): Promise<{ published?: StoredVersion; draft: StoredDraft }>;
  saveDraft(author: string, pageId: string, layout: unknown, baseRevision: number): Promise<StoredDraft>;
  /** The problems of `layout`, or of the saved draft when undefined. */
  validate(pageId: string, layout: unknown): Promise<Validation>;
  publish(author: string, pageId: string, input: { message: string; draftRevision: number; baseVersion: number }): Promise<StoredVersion>;
  history(pageId: string): Promise<StoredVersion[]>;
  rollback(author: string, pageId: string, input: { toVersion: number; baseVersion: number; message: string }): Promise<StoredVersion>;
  /** Composes for `audience`; as a named user (`audience.userId`) only for an operator, and logged. */
  preview(caller: Caller, pageId: string, layout: unknown, audience: PreviewAudience): Promise<Preview>;
  widgets(): WidgetDescription[];
}

/** Refuses a page id no store can name (400): every operation on a page checks it first. */
function checkPageId(pageId: string): void {
  if (!PAGE_ID.test(pageId))
    throw invalidParameter("pageId", `${JSON.stringify(pageId.slice(0, 80))} is not a page id: must be ${PAGE_ID_RULE}`);
}

const sameLayout = (a: PageLayout, b: PageLayout) => JSON.stringify(a) === JSON.stringify(b);

export function createLayoutAdmin(options: LayoutAdminOptions): LayoutAdmin {
  const { store, registry } = options;
  const now = options.now ?? (() => new Date());
  const widgets = registry.list().map(describeWidget);

  async function stale<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof StaleWriteError) throw conflict(error.message);
      throw error;
    }
  }

  async function getLayout(pageId: string) {
    checkPageId(pageId);
    const [published, saved] = await Promise.all([store.current(pageId), store.draft(pageId)]);
    if (saved) return { published, draft: saved };
    if (!published) throw pageNotFound(pageId);
    const draft: StoredDraft = {
      pageId,
      layout: published.layout,
      revision: 0,
      basedOnVersion: published.version,
      author: published.author,
      savedAt: published.publishedAt,
    };
    return { published, draft };
  }

  function checked(pageId: string, layout: unknown): PageLayout {
    const validation = validateLayout(layout, registry, pageId);
    if (!validation.layout) throw invalidLayout(validation.problems);
    return validation.layout;
  }

  return {
    async listPages() {
      const summaries = await Promise.all(
        (await store.pageIds()).map(async (pageId) => {
          const [published, draft] = await Promise.all([store.current(pageId), store.draft(pageId)]);
          return {
            pageId,
            publishedVersion: published?.version ?? 0,
            draftRevision: draft?.revision ?? 0,
            hasUnpublishedChanges: draft !== undefined && (!published || !sameLayout(draft.layout, published.layout)),
          };
        }),
      );
      return summaries;
    },

    getLayout,

    async saveDraft(author, pageId, layout, baseRevision) {
      checkPageId(pageId);
      const parsed = checked(pageId, layout);
      return stale(() => store.saveDraft({ pageId, layout: parsed, baseRevision, author, savedAt: now().toISOString() }));
    },

    async validate(pageId, layout) {
      checkPageId(pageId);
      return validateLayout(layout ?? (await getLayout(pageId)).draft.layout, registry, pageId);
    },

    async publish(author, pageId, input) {
      const { published, draft } = await getLayout(pageId);
      if (input.draftRevision !== draft.revision)
        throw conflict(
          `the draft of "${pageId}" is at revision ${draft.revision}, not ${input.draftRevision}: review it and publish again`,
        );
      if (input.baseVersion !== (published?.version ?? 0))
        throw conflict(`"${pageId}" is published at version ${published?.version ?? 0}, not ${input.baseVersion}: reload it and try again`);
      // Widgets may have changed since the draft was saved: check again.
      const layout = checked(pageId, draft.layout);
      return stale(() =>
        store.publish({
          pageId,
          layout,
          baseVersion: input.baseVersion,
          draftRevision: input.draftRevision,
          author,
          publishedAt: now().toISOString(),
          message: input.message,
        }),
      );
    },

    async history(pageId) {
      checkPageId(pageId);
      const versions = await store.history(pageId);
      if (versions.length === 0 && !(await store.draft(pageId))) throw pageNotFound(pageId);
      return versions;
    },

    async rollback(author, pageId, input) {
      checkPageId(pageId);
      const target = await store.version(pageId, input.toVersion);
      if (!target) {
        if (!(await store.current(pageId))) throw pageNotFound(pageId);
        throw notFound(`page "${pageId}" has no version ${input.toVersion}`);
      }
      const layout = checked(pageId, target.layout);
      return stale(() =>
        store.publish({
          pageId,
          layout,
          baseVersion: input.baseVersion,
          author,
          publishedAt: now().toISOString(),
          message: input.message || `rollback to version ${input.toVersion}`,
          rolledBackFrom: input.toVersion,
        }),
      );
    },

    async preview(caller, pageId, layout, audience) {
      checkPageId(pageId);
      authorizePreviewAs(caller, audience.userId);
      if (!options.compose) throw notImplemented("this server cannot compose previews");
      if (audience.userId)
        options.log?.info({ operator: caller.userId, previewedUser: audience.userId, pageId }, "preview as a named user");
      const draft = layout === undefined ? (await getLayout(pageId)).draft : undefined;
      const parsed = draft ? draft.layout : checked(pageId, layout);
      const preview = await options.compose({ layout: parsed, version: 0 }, audience);
      if (!preview)
        throw invalidParameter(
          "audience",
          `no variant of "${pageId}" matches ${audience.platform} ${audience.clientVersion}${audience.cohort ? ` cohort ${audience.cohort}` : ""}${audience.region ? ` in ${audience.region}` : ""}`,
        );
      return preview;
    },

    widgets: () => widgets,
  };
}
