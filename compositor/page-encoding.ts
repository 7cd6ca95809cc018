/**
 * A Page's protobuf bytes from widgets that are already encoded. A repeated message field is a
 * sequence of length-delimited records that may come anywhere in the message, so the page is its
 * other fields' encoding followed by one record per widget (field 3, wire type 2). What a request
 * adds to a widget's envelope (its page token, its page view's logging data) is appended inside
 * its record: a decoder merges it with what the cached widget carries.
 */
import type { Hash } from "node:crypto";
import { PageSchema, type Page } from "../protos/gen/tessera/page/v1/page_pb.js";
import { allocateBytes, type BytesHolder } from "./request-bytes.ts";
import { encodeMessage } from "./widget-encoding.ts";

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

/** Per widget, in the page's order, the records a request appends to its cached bytes. */
export interface EnvelopeTails {
  /** Its `next_page_token` record: part of what the page's ETag validates. */
  tokens: readonly (Uint8Array | undefined)[];
  /** Its page view's `logging` record: not part of it (the same page in another view). */
  views: readonly (Uint8Array | undefined)[];
}

const NO_TAILS: EnvelopeTails = { tokens: [], views: [] };

/**
 * `page` with its widgets taken from `widgetBytes` (each one encoded tessera.page.v1.Widget), in
 * order, each followed by its tails, held as `holder` says. `content`, when given, is fed the page
 * without the view records: what its ETag validates.
 */
export function encodePage(
  page: Page,
  widgetBytes: readonly Uint8Array[],
  { tails = NO_TAILS, content, holder = "owned" }: { tails?: EnvelopeTails; content?: Hash; holder?: BytesHolder } = {},
): Buffer {
  const rest = encodeMessage(PageSchema, { ...page, widgets: [] }, "pooled");
  content?.update(rest);
  let length = rest.length;
  widgetBytes.forEach((bytes, i) => {
    const widgetLength = bytes.length + (tails.tokens[i] ?? NONE).length + (tails.views[i] ?? NONE).length;
    length += 1 + varintLength(widgetLength) + widgetLength;
  });
  const out = allocateBytes(length, holder);
  out.set(rest, 0);
  let offset = rest.length;
  widgetBytes.forEach((bytes, i) => {
    const token = tails.tokens[i] ?? NONE;
    const view = tails.views[i] ?? NONE;
    out[offset++] = WIDGETS_TAG;
    offset = writeVarint(out, offset, bytes.length + token.length + view.length);
    out.set(bytes, offset);
    offset += bytes.length;
    out.set(token, offset);
    offset += token.length;
    out.set(view, offset);
    offset += view.length;
    content?.update(bytes);
    content?.update(token);
  });
  return out;
}
