/** Reading composed pages in tests. */
import { clone, fromBinary } from "@bufbuild/protobuf";
import { PageSchema, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";

export function decodePage(body: Buffer | Uint8Array): Page {
  return fromBinary(PageSchema, body);
}

export function itemsOf(widget: Widget): Item[] {
  const body = widget.body;
  switch (body.case) {
    case "hero":
      return body.value.slides;
    case "titleDetails":
      return body.value.item ? [body.value.item] : [];
    case undefined:
      return [];
    default:
      return body.value.items;
  }
}

export function allItems(page: Page): Item[] {
  return page.widgets.flatMap(itemsOf);
}

/** The DDS call count from a `Server-Timing` header. */
export function ddsCallsOf(serverTiming: string | undefined): number {
  const match = /dds;[^,]*desc="(\d+) calls"/.exec(serverTiming ?? "");
  if (!match) throw new Error(`no dds entry in Server-Timing: ${serverTiming}`);
  return Number(match[1]);
}

/** The page without what differs from one page view to the next (each widget's `logging.page_view_id`): to compare two compositions. */
export function withoutPageView(page: Page): Page {
  const copy = clone(PageSchema, page);
  for (const widget of copy.widgets) if (widget.logging) widget.logging.pageViewId = "";
  return copy;
}
