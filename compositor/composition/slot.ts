/** What one placement of a page settles to: its widget, encoded once, or why it was left out. */
import { create } from "@bufbuild/protobuf";
import { OmittedWidgetSchema, type OmittedWidget } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { CacheScope } from "../../widget-registry/sdk.ts";
import type { Omission } from "../layouts/resolver.ts";

interface SlotBase {
  /** The placement's index in the variant. */
  position: number;
  essential: boolean;
  /** The binder's bind time; 0 when no binder ran. */
  bindMs: number;
}

export interface WidgetSlot extends SlotBase {
  widget: Widget;
  /** `widget` as protobuf binary, written into the page as is. */
  bytes: Uint8Array;
  /** The binder's cache scope: the page's is the widest of its widgets'. */
  scope: CacheScope;
  /** Not the current output: a stale copy (`widget.stale`), or made while a DDS call failed. */
  degraded?: boolean;
  /** Served from the widget cache, no binder run. */
  fromCache?: boolean;
  /** The cursor of the widget's next items ("" or absent: none); the page gives the caller a page token for it. */
  nextCursor?: string;
}

export interface OmittedSlot extends SlotBase {
  omitted: OmittedWidget;
}

export type SettledSlot = WidgetSlot | OmittedSlot;

/** Takes each slot as it settles: a page assembles them, a stream also sends them at once. */
export interface SlotSink {
  settle(slot: SettledSlot): void;
}

export function omittedSlot(
  omission: Pick<Omission, "position" | "instanceId" | "type" | "reason" | "message" | "essential">,
  bindMs = 0,
): OmittedSlot {
  const omitted = create(OmittedWidgetSchema, {
    instanceId: omission.instanceId,
    type: omission.type,
    reason: omission.reason,
    message: omission.message,
  });
  return { position: omission.position, essential: omission.essential, bindMs, omitted };
}
