/**
 * One item drawn as a tile or a hero slide: its image, title, badge, rating and progress; a tap runs
 * `Item.action` and logs a click; `Item.secondary_actions` are small buttons beneath. The screen
 * reader hears `Item.accessibility_label` (localized by the server), not the pieces.
 */
import type { WidgetLogging } from "../../protos/gen/tessera/page/v1/logging_pb.js";
import type { Action } from "../../protos/gen/tessera/widgets/v1/action_pb.js";
import type { Image, Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";
import { actionLabel, favoriteLabel, runAction } from "./actions.ts";
import { button, el } from "./dom.ts";
import { logClick } from "./logging.ts";
import type { PageView } from "./view.ts";

/** An image's URL: `url` for this 5.0.0 client; a compact client's `path` is relative to the page's `image_base_url`. */
export function imageUrl(image: Image | undefined, imageBaseUrl: string): string | undefined {
  if (!image) return undefined;
  if (image.url) return image.url;
  return image.path ? imageBaseUrl + image.path : undefined;
}

export function imageElement(image: Image | undefined, view: PageView): HTMLElement {
  const src = imageUrl(image, view.imageBaseUrl);
  if (!src || !image) return el("div", { class: "art art-missing" });
  // Decorative: the tile's label says what it is. Width and height keep the layout still while it loads.
  const size = image.width && image.height ? { width: String(image.width), height: String(image.height) } : {};
  return el("img", { class: "art", src, alt: "", ...size });
}

/**
 * Every favorite button of the page for `contentId` shows `favorite`: a title may have several (its
 * hero and its details), and only some widgets know the state (TitleDetails.favorite).
 */
export function showFavorite(root: ParentNode, contentId: string, favorite: boolean): void {
  for (const element of root.querySelectorAll(`[data-favorite-of="${CSS.escape(contentId)}"]`)) {
    element.textContent = favoriteLabel(favorite);
    element.setAttribute("aria-pressed", String(favorite));
  }
}

/** A button running `action`; a favorite button's label follows the state, `known` when the page says it. */
export function actionButton(action: Action, view: PageView, onTap: () => void, known?: boolean): HTMLButtonElement {
  const favoriteOf = action.kind.case === "toggleFavorite" ? action.kind.value.contentId : undefined;
  const label = favoriteOf !== undefined && known !== undefined ? favoriteLabel(known) : actionLabel(action);
  const element = button(label, () => {
    onTap();
    void runAction(action, view, (now) => showFavorite(document, favoriteOf!, now));
  });
  element.classList.add("action");
  if (favoriteOf !== undefined) {
    element.dataset.favoriteOf = favoriteOf;
    if (known !== undefined) element.setAttribute("aria-pressed", String(known));
  }
  return element;
}

export function tile(item: Item, logging: WidgetLogging | undefined, view: PageView, kind: "tile" | "slide"): HTMLElement {
  const click = () => logClick(view.ref.pageId, logging, item);
  const label = item.accessibilityLabel || item.title;
  const face = [
    el(
      "span",
      { class: "art-box" },
      imageElement(item.image, view),
      item.badge ? el("span", { class: `badge badge-${item.badge}` }, item.badge) : null,
      item.progressPercent > 0 ? el("span", { class: "progress" }, el("span", { style: `width: ${item.progressPercent}%` })) : null,
    ),
    el("span", { class: "tile-title" }, item.title),
    item.ageRating ? el("span", { class: "rating" }, item.ageRating) : null,
  ];
  const action = item.action;
  const main = action?.kind.case
    ? el("button", { type: "button", class: "tile-face", "aria-label": label }, ...face)
    : el("div", { class: "tile-face", role: "img", "aria-label": label }, ...face);
  if (action?.kind.case)
    main.addEventListener("click", () => {
      click();
      void runAction(action, view);
    });
  const secondary = item.secondaryActions.filter((a) => a.kind.case);
  const element = el(
    "div",
    { class: kind, "data-content": item.contentId },
    main,
    secondary.length > 0
      ? el("div", { class: "secondary", role: "group", "aria-label": item.title }, ...secondary.map((a) => actionButton(a, view, click)))
      : null,
  );
  view.impressions.watchItem(element, logging, item);
  return element;
}
