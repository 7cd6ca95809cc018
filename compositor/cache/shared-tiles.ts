/**
 * One frozen tile per content entity and entitlement that the shared entity caches hold: equal
 * tiles are then the very same object from page to page, so a user-scoped widget's data compares
 * with what it was by identity (same-data.ts), and a page builds no tile objects of its own.
 */
import type { Content } from "../../protos/gen/tessera/dds/v1/content_pb.js";
import type { Entitlement } from "../../protos/gen/tessera/dds/v1/entitlement_pb.js";
import type { Tile } from "../../widget-registry/sdk.ts";

/** The key of a title without an entitlement (it is shown as entitled, with no badge). */
const NO_ENTITLEMENT = {};
const tilesByContent = new WeakMap<Content, WeakMap<object, Tile>>();

export function sharedTile(content: Content, right: Entitlement | undefined): Tile {
  let byRight = tilesByContent.get(content);
  if (byRight === undefined) tilesByContent.set(content, (byRight = new WeakMap()));
  const key = right ?? NO_ENTITLEMENT;
  let tile = byRight.get(key);
  if (tile === undefined) byRight.set(key, (tile = Object.freeze(tileOf(content, right))));
  return tile;
}

export function tileOf(content: Content, right: Entitlement | undefined): Tile {
  return { content, entitled: right?.entitled ?? true, badge: right?.badge ?? "" };
}
