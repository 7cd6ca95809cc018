/** Layout records ↔ their tessera.layout.v1 messages. The proto JSON of a PageLayout is the model's JSON. */
import { create, fromJson, toJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  DraftSchema,
  LayoutVersionSchema,
  PageLayoutSchema,
  type Draft,
  type LayoutVersion,
  type PageLayout as PageLayoutMessage,
} from "../protos/gen/tessera/layout/v1/layout_pb.js";
import { WidgetTypeSchema, type WidgetType } from "../protos/gen/tessera/layout/v1/widget_type_pb.js";
import type { WidgetDescription } from "../widget-registry/describe.ts";
import { DEFAULT_DEADLINE_MS } from "../widget-registry/sdk.ts";
import type { PageLayout } from "./model.ts";
import type { StoredDraft, StoredVersion } from "./store.ts";

/** The layout document of a message, for validation; undefined when the message is absent. */
export function layoutDocument(message: PageLayoutMessage | undefined): unknown {
  return message ? toJson(PageLayoutSchema, message) : undefined;
}

export function layoutMessage(layout: PageLayout): PageLayoutMessage {
  return fromJson(PageLayoutSchema, layout as unknown as JsonValue);
}

export function versionMessage(record: StoredVersion): LayoutVersion {
  return create(LayoutVersionSchema, {
    pageId: record.pageId,
    version: record.version,
    layout: layoutMessage(record.layout),
    author: record.author,
    publishedAt: timestampFromDate(new Date(record.publishedAt)),
    message: record.message,
    rolledBackFrom: record.rolledBackFrom,
  });
}

export function draftMessage(record: StoredDraft): Draft {
  return create(DraftSchema, {
    pageId: record.pageId,
    layout: layoutMessage(record.layout),
    revision: record.revision,
    basedOnVersion: record.basedOnVersion,
    author: record.author,
    savedAt: timestampFromDate(new Date(record.savedAt)),
  });
}

export function widgetTypeMessage(widget: WidgetDescription): WidgetType {
  return create(WidgetTypeSchema, {
    type: widget.type,
    body: widget.body,
    templates: widget.templates.map((template) => ({
      version: template.version,
      minClientVersion: { ...template.minClientVersion },
      status: template.status,
    })),
    cacheScope: widget.cacheScope,
    configSchema: widget.configSchema as JsonObject,
    deadlineMs: widget.deadlineMs ?? DEFAULT_DEADLINE_MS,
    maxItems: widget.maxItems ?? 0,
  });
}
