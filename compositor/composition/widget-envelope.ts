/**
 * What the page adds to a widget's envelope for one request, outside the cached widget: its page
 * token (`next_page_token`), and a deferred placement's placeholder. A cached widget is shared by
 * every caller and outlives a token's hour; so the page appends the field to the widget's bytes
 * (protobuf allows fields in any order, a decoder merges them) and the message form is a shallow copy.
 */
import { WidgetSchema, type Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import { create } from "@bufbuild/protobuf";
import type { ResolvedPlacement } from "../layouts/resolver.ts";
import { encodeWidget } from "../widget-encoding.ts";
import type { WidgetSlot } from "./slot.ts";

const NEXT_PAGE_TOKEN_TAG = (8 << 3) | 2;

/** A string field's record: its tag, its length as a varint, its UTF-8 bytes. */
function stringRecord(tag: number, value: string): Buffer {
  const text = Buffer.from(value);
  const length: number[] = [];
  let rest = text.length;
  while (rest > 0x7f) {
    length.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  length.push(rest);
  return Buffer.concat([Buffer.from([tag, ...length]), text]);
}

// Tokens are the same for every page of an hour (page-token.ts): so are their records.
const tokenRecords = new Map<string, Buffer>();
const TOKEN_RECORDS_MAX = 10_000;

/** The `next_page_token` record a page appends to the widget's bytes (page-encoding.ts); the cached widget is left as it is. */
export function nextPageTokenRecord(token: string): Buffer {
  let record = tokenRecords.get(token);
  if (record === undefined) {
    record = stringRecord(NEXT_PAGE_TOKEN_TAG, token);
    if (tokenRecords.size >= TOKEN_RECORDS_MAX) tokenRecords.clear();
    tokenRecords.set(token, record);
  }
  return record;
}

/** A deferred placement's placeholder: no body, its page token to fetch the widget with. Public: it shows nothing of anyone. */
export function deferredSlot(placement: ResolvedPlacement, pageToken: string): WidgetSlot {
  const widget = create(WidgetSchema, {
    instanceId: placement.instanceId,
    type: placement.type,
    templateVersion: placement.templateVersion,
    deferred: { pageToken },
  });
  return { position: placement.position, essential: placement.essential, bindMs: 0, widget, bytes: encodeWidget(widget), scope: "public" };
}
