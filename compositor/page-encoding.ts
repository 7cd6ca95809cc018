/**
 * A Page's protobuf bytes from widgets that are already encoded. A repeated message field is a
 * sequence of length-delimited records that may come anywhere in the message, so the page is its
 * other fields' encoding followed by one record per widget (field 3, wire type 2). A widget's
 * page-view record (its logging data, encodeLoggingRecord) is appended inside its record.
 */
import { toBinary } from "@bufbuild/protobuf";
import type { Hash } from "node:crypto";
import { PageSchema, type Page } from "../protos/gen/tessera/page/v1/page_pb.js";

const WIDGETS_TAG = (3 << 3) | 2;

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value >>>= 7;
    length++;
  }
  return length;
}

function writeVarint(target: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    target[offset++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  target[offset++] = value;
  return offset;
}

const NONE = new Uint8Array(0);

/**
 * `page` with its widgets taken from `widgetBytes` (each one encoded tessera.page.v1.Widget), in
 * order, each followed by its `views[i]` record when given. `content`, when given, is fed the page
 * without the view records: what its ETag validates (the same page in another page view).
 */
export function encodePage(page: Page, widgetBytes: readonly Uint8Array[], views: readonly Uint8Array[] = [], content?: Hash): Buffer {
  const rest = toBinary(PageSchema, { ...page, widgets: [] });
  content?.update(rest);
  let length = rest.length;
  widgetBytes.forEach((bytes, i) => {
    const widgetLength = bytes.length + (views[i] ?? NONE).length;
    length += 1 + varintLength(widgetLength) + widgetLength;
  });
  const out = Buffer.allocUnsafe(length);
  out.set(rest, 0);
  let offset = rest.length;
  widgetBytes.forEach((bytes, i) => {
    const view = views[i] ?? NONE;
    out[offset++] = WIDGETS_TAG;
    offset = writeVarint(out, offset, bytes.length + view.length);
    out.set(bytes, offset);
    offset += bytes.length;
    out.set(view, offset);
    offset += view.length;
    content?.update(bytes);
  });
  return out;
}
