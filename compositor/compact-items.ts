/**
 * A widget in the compact item form (README.md, "Compact items"), for clients that derive deep
 * links, default actions and image URLs: each item's deep link and action left out when they are
 * the ones its content id gives,
 * each image under the page's image base given by its path instead of its URL. Done once per
 * widget after its binder ran, before it is encoded and kept (the widget key holds the form).
 */
import type { Widget } from "../protos/gen/tessera/page/v1/widget_pb.js";
import type { Image, Item } from "../protos/gen/tessera/widgets/v1/item_pb.js";
import { isDefaultAction, isDerivedDeepLink } from "../widget-registry/item-links.ts";

const ITEM = "tessera.widgets.v1.Item";

/** The compact copies of frozen images (the SDK makes one per title's artwork), with the base they are under. */
const compactImages = new WeakMap<Image, { imageBaseUrl: string; compact: Image }>();

function compactImage(image: Image, imageBaseUrl: string): Image {
  if (imageBaseUrl === "" || !image.url.startsWith(imageBaseUrl)) return image;
  if (!Object.isFrozen(image)) return { ...image, url: "", path: image.url.slice(imageBaseUrl.length) };
  const known = compactImages.get(image);
  if (known?.imageBaseUrl === imageBaseUrl) return known.compact;
  const compact = Object.freeze({ ...image, url: "", path: image.url.slice(imageBaseUrl.length) });
  compactImages.set(image, { imageBaseUrl, compact });
  return compact;
}

function compactItem(item: Item, imageBaseUrl: string): Item {
  return {
    ...item,
    image: item.image && compactImage(item.image, imageBaseUrl),
    deepLink: isDerivedDeepLink(item.deepLink, item.contentId) ? "" : item.deepLink,
    action: isDefaultAction(item.action, item.contentId) ? undefined : item.action,
  };
}

/** A copy of `value` with every Item in it compacted; the binder's output is left as it was. */
function compactValue(value: unknown, imageBaseUrl: string): unknown {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((entry) => compactValue(entry, imageBaseUrl));
  const message = value as Record<string, unknown>;
  if (message.$typeName === ITEM) return compactItem(message as unknown as Item, imageBaseUrl);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(message)) copy[key] = compactValue(message[key], imageBaseUrl);
  return copy;
}

/** `widget` with its items in the compact form, images relative to `imageBaseUrl`. */
export function compactWidget(widget: Widget, imageBaseUrl: string): Widget {
  return compactValue(widget, imageBaseUrl) as Widget;
}
