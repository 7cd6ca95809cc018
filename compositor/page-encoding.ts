/**
 * A Page's protobuf bytes from widgets that are already encoded. A repeated message field is a
 * sequence of length-delimited records that may come anywhere in the message, so the page is its
 * other fields' encoding followed by one record per widget (field 3, wire type 2).
 */
import { toBinary } from "@bufbuild/protobuf";
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

/** `page` with its widgets taken from `widgetBytes` (each one encoded tessera.page.v1.Widget), in order. */
export function encodePage(page: Page, widgetBytes: readonly Uint8Array[]): Buffer {
  const rest = toBinary(PageSchema, { ...page, widgets: [] });
  let length = rest.length;
  for (const bytes of widgetBytes) length += 1 + varintLength(bytes.length) + bytes.length;
  const out = Buffer.allocUnsafe(length);
  out.set(rest, 0);
  let offset = rest.length;
  for (const bytes of widgetBytes) {
    out[offset++] = WIDGETS_TAG;
    offset = writeVarint(out, offset, bytes.length);
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}
