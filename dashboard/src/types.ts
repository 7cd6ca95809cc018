/**
 * What the dashboard works with, whatever the wire format: the layout model's JSON shape plus the
 * API's records. The layout types mirror layout-service/model.ts (the dashboard imports nothing of
 * the server); test/layout-service/layout-model.test.ts fails to type-check when they drift apart.
 */

export interface ScheduleWindow {
  /** ISO 8601 instant from which it applies (inclusive). */
  from?: string;
  /** ISO 8601 instant until which it applies (exclusive). */
  until?: string;
}

export interface Placement {
  instanceId: string;
  type: string;
  /** A template version, or "newest". */
  templateVersion: string;
  config: Record<string, unknown>;
  schedule?: ScheduleWindow;
  essential: boolean;
  /** Below the fold: a placeholder in the page, the widget fetched after the first response. */
  deferred: boolean;
}

export interface VariantMatch {
  platforms?: ("web" | "android" | "ios" | "tv")[];
  regions?: string[];
  cohorts?: string[];
  /** A semver range. */
  clientVersion?: string;
  experiment?: { flag: string; variation: string };
  schedule?: ScheduleWindow;
}

export interface Variant {
  id: string;
  description?: string;
  match: VariantMatch;
  placements: Placement[];
}

/** A parameter the page takes; the dashboard keeps it as it is. */
export interface PageParameterSpec {
  name: string;
  kind: "content-id" | "text";
  example?: string;
}

export interface PageLayout {
  pageId: string;
  variants: Variant[];
  parameters?: PageParameterSpec[];
}

export type TemplateStatus = "experimental" | "active" | "deprecated" | "retired";

export interface TemplateInfo {
  version: string;
  status: TemplateStatus;
  /** Platform → lowest client version that renders it. */
  minClientVersion: Record<string, string>;
}

/** A JSON Schema as zod exports it; only the parts the form generator reads. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
}

export interface WidgetInfo {
  type: string;
  description: string;
  cacheScope: string;
  templates: TemplateInfo[];
  configSchema: JsonSchema;
}

export interface PageSummary {
  pageId: string;
  /** 0 when never published. */
  publishedVersion: number;
  /** 0 when the draft was never saved. */
  draftRevision: number;
  hasUnpublishedChanges: boolean;
}

export interface PublishedVersion {
  version: number;
  layout: PageLayout;
  author: string;
  /** ISO 8601. */
  time: string;
  message: string;
  /** The version whose layout this one republished, when it is a rollback. */
  rolledBackFrom?: number;
}

/** A page as the editor loads it: the draft (a copy of the published layout when never saved) and what is live. */
export interface PageState {
  pageId: string;
  draft: PageLayout;
  /** The revision a save must name (optimistic concurrency); 0 when never saved. */
  draftRevision: number;
  draftAuthor: string;
  /** ISO 8601; "" when never saved. */
  draftSavedAt: string;
  published?: PublishedVersion;
}

export type HistoryEntry = PublishedVersion;

/** One validation problem at a JSON path into the layout, e.g. ["variants", 0, "placements", 2, "config", "limit"]. */
export interface Problem {
  path: (string | number)[];
  message: string;
}

export interface PreviewAudience {
  platform: string;
  cohort: string;
  clientVersion: string;
  region: string;
  userId: string;
  /** Feature flag → variation to assume; flags not named are evaluated as for a real request. */
  flags: Record<string, string>;
}

/** A composed page reduced to what the preview draws. */
export interface PreviewWidget {
  instanceId: string;
  type: string;
  templateVersion: string;
  kind: "hero" | "tray" | "continue-watching" | "grid" | "other";
  title: string;
  items: PreviewItem[];
}

export interface PreviewItem {
  title: string;
  imageUrl: string;
  badge: string;
  progressPercent: number;
  ageRating: string;
}

export interface PreviewPage {
  layoutVersion: string;
  variantId?: string;
  widgets: PreviewWidget[];
  omitted: { instanceId: string; type: string; reason: string; message: string }[];
  experiments: { flag: string; variation: string }[];
}

export interface Session {
  token: string;
  userId: string;
  roles: string[];
  /** Seconds since the epoch. */
  expiresAt?: number;
}

export const canEdit = (session: Session) => session.roles.includes("operator");
