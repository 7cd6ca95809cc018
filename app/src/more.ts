/**
 * Widgets that come after the page: a row's next items (`Widget.next_page_token`) and deferred
 * widgets (`Widget.deferred.page_token`), both from GET /v1/pages/{pageId}/widgets/{instanceId}
 * with the token and the page's own dimensions and parameters.
 */
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";
import { ApiFailure, fetchWidget } from "./api.ts";
import { button, el } from "./dom.ts";
import type { PageView } from "./view.ts";

/** The items of a widget's body, whatever its kind. */
export function itemsOf(widget: Widget): Item[] {
  const { body } = widget;
  switch (body.case) {
    case "hero":
      return body.value.slides;
    case "tray":
    case "continueWatching":
    case "grid":
      return body.value.items;
    case "titleDetails":
      return body.value.item ? [body.value.item] : [];
    default:
      return [];
  }
}

const reason = (error: unknown) => (error instanceof ApiFailure ? error.message : "something went wrong");

/** Calls `load` whenever `target` comes within `margin` of `root`'s visible part (the viewport when null), until aborted. */
function whenNear(target: Element, root: Element | null, margin: string, signal: AbortSignal, load: () => void): IntersectionObserver {
  const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && load(), {
    root,
    rootMargin: margin,
  });
  observer.observe(target);
  signal.addEventListener("abort", () => observer.disconnect());
  return observer;
}

/**
 * Load more: a sentinel after the row's last item; when it nears the visible part of the row
 * (`scroller`: the row itself for a horizontal tray, null for a grid in the page), the next items are
 * fetched and appended and the token replaced; an empty token is the end. One fetch at a time.
 */
export function loadMore(widget: Widget, scroller: Element | null, list: Element, view: PageView, append: (items: Item[]) => void): void {
  let pageToken = widget.nextPageToken;
  if (!pageToken) return;
  const sentinel = el("div", { class: "sentinel", "aria-hidden": "true" });
  list.after(sentinel);
  let loading = false;
  const observer = whenNear(sentinel, scroller, scroller ? "0px 50% 0px 0px" : "0px 0px 400px 0px", view.signal, load);

  function load(): void {
    if (loading || !pageToken) return;
    loading = true;
    list.setAttribute("aria-busy", "true");
    fetchWidget(view.ref, widget.instanceId, pageToken)
      .then((next) => {
        if (view.signal.aborted) return;
        append(itemsOf(next));
        pageToken = next.nextPageToken;
        if (!pageToken) {
          observer.disconnect();
          sentinel.remove();
        } else {
          // Observing afresh reports the sentinel's state now: still in view (a short page), it loads again.
          observer.unobserve(sentinel);
          observer.observe(sentinel);
        }
      })
      .catch((error: unknown) => {
        // No retry loop: the user asks again.
        observer.disconnect();
        sentinel.replaceChildren(
          el("span", {}, `More items could not be loaded: ${reason(error)}. `),
          button("Retry", () => {
            sentinel.replaceChildren();
            observer.observe(sentinel);
          }),
        );
        sentinel.removeAttribute("aria-hidden");
      })
      .finally(() => {
        loading = false;
        list.removeAttribute("aria-busy");
      });
  }
}

/**
 * A deferred widget is a placeholder without a body: fetched with `deferred.page_token` when it comes
 * near the viewport, then drawn in its place. `render` draws the fetched widget.
 */
export function loadDeferred(widget: Widget, placeholder: HTMLElement, view: PageView, render: (widget: Widget) => HTMLElement): void {
  const pageToken = widget.deferred?.pageToken ?? "";
  let started = false;
  const observer = whenNear(placeholder, null, "600px 0px", view.signal, () => {
    if (started) return;
    started = true;
    observer.disconnect();
    fetchWidget(view.ref, widget.instanceId, pageToken)
      .then((full) => {
        // Its impressions belong to the page view it is shown in: the placeholder's, not its own fetch's.
        const logging = widget.logging && full.logging && { ...full.logging, pageViewId: widget.logging.pageViewId };
        if (!view.signal.aborted) placeholder.replaceWith(render(logging ? { ...full, logging } : full));
      })
      .catch((error: unknown) => {
        placeholder.removeAttribute("aria-busy");
        placeholder.replaceChildren(el("p", { class: "widget-error" }, `This row could not be loaded: ${reason(error)}.`));
      });
  });
}
