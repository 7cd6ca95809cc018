/**
 * Draws a page's widgets by body: hero (slides), tray and continue watching (horizontal rows), grid,
 * title details; a deferred widget as a placeholder. Each widget is a labelled region whose accessible
 * name is `Widget.accessibility_heading` when the server sends one (localized), else its visible title.
 */
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Hero } from "../../protos/gen/tessera/widgets/v1/hero_pb.js";
import type { Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";
import type { TitleDetails } from "../../protos/gen/tessera/widgets/v1/title_details_pb.js";
import { runAction } from "./actions.ts";
import { button, el } from "./dom.ts";
import { logClick } from "./logging.ts";
import { loadDeferred, loadMore } from "./more.ts";
import { actionButton, imageElement, tile } from "./tile.ts";
import type { PageView } from "./view.ts";

let headings = 0;

export function renderWidget(widget: Widget, view: PageView): HTMLElement {
  const headingId = `widget-heading-${++headings}`;
  const spoken = widget.accessibilityHeading || undefined;
  const section = el("section", {
    class: `widget widget-${widget.body.case ?? "deferred"}`,
    "data-instance": widget.instanceId,
    "data-type": widget.type,
    ...(spoken ? { "aria-label": spoken } : { "aria-labelledby": headingId }),
  });
  const heading = (text: string, hidden = false) =>
    el(
      "h2",
      { id: headingId, class: hidden ? "visually-hidden" : undefined },
      text,
      widget.stale ? el("span", { class: "stale" }, " · not current") : null,
    );

  if (widget.deferred) {
    // No body yet: a placeholder of about a row's height, so that the page does not jump when it comes.
    section.setAttribute("aria-busy", "true");
    section.append(heading(spoken ?? "Loading…", true), el("div", { class: "placeholder" }));
    loadDeferred(widget, section, view, (full) => renderWidget(full, view));
    return section;
  }
  const { body } = widget;
  switch (body.case) {
    case "hero":
      section.append(heading(spoken ?? "Featured", true), hero(body.value, widget, view));
      break;
    case "tray":
      section.append(heading(body.value.title), row(body.value.items, widget, view));
      if (body.value.seeAll?.kind.case) {
        const seeAll = body.value.seeAll;
        section.querySelector("h2")!.append(
          " ",
          button("See all", () => void runAction(seeAll, view), { class: "see-all" }),
        );
      }
      break;
    case "continueWatching":
      section.append(heading(body.value.title), row(body.value.items, widget, view));
      break;
    case "grid":
      section.append(heading(body.value.title), grid(body.value.items, body.value.columns, widget, view));
      break;
    case "titleDetails":
      section.append(titleDetails(body.value, widget, view, heading));
      break;
    default:
      // A body this client does not know (a newer template): leave the widget out.
      section.hidden = true;
  }
  view.impressions.watchWidget(section, widget.logging);
  return section;
}

/** The slides side by side, one in view; they advance every `rotate_seconds` (6 when 0: the client decides). */
function hero(value: Hero, widget: Widget, view: PageView): HTMLElement {
  const slides = el("div", { class: "slides" }, ...value.slides.map((item) => tile(item, widget.logging, view, "slide")));
  let current = 0;
  const timer = setInterval(
    () => {
      // Not while the user is on it: a moving target is hard to read or tap.
      if (slides.matches(":hover, :focus-within") || value.slides.length < 2) return;
      current = (current + 1) % value.slides.length;
      slides.scrollTo({ left: current * slides.clientWidth, behavior: "smooth" });
    },
    (value.rotateSeconds || 6) * 1000,
  );
  view.signal.addEventListener("abort", () => clearInterval(timer));
  return slides;
}

/** A horizontal row of tiles; with a next page token, its next items load as it scrolls near its end. */
function row(items: Item[], widget: Widget, view: PageView): HTMLElement {
  const list = el("div", { class: "row-items" });
  const append = (more: Item[]) => list.append(...more.map((item) => tile(item, widget.logging, view, "tile")));
  append(items);
  const scroller = el("div", { class: "row" }, list);
  loadMore(widget, scroller, list, view, append);
  return scroller;
}

function grid(items: Item[], columns: number, widget: Widget, view: PageView): HTMLElement {
  const list = el("div", { class: "grid", style: columns > 0 ? `--columns: ${columns}` : undefined });
  const append = (more: Item[]) => list.append(...more.map((item) => tile(item, widget.logging, view, "tile")));
  append(items);
  const wrapper = el("div", {}, list);
  loadMore(widget, null, list, view, append);
  return wrapper;
}

/** A title's page: its artwork, facts and what the user can do (its action: play; secondary: favorite, …). */
function titleDetails(value: TitleDetails, widget: Widget, view: PageView, heading: (text: string) => HTMLElement): HTMLElement {
  const item = value.item;
  if (!item) return el("p", {}, "No details");
  const facts: [string, string][] = [
    ["Year", value.releaseYear ? String(value.releaseYear) : ""],
    ["Genre", value.genre],
    ["Director", value.director],
    ["Running time", value.runningTimeMinutes ? `${value.runningTimeMinutes} min` : ""],
    ["Rated", item.ageRating],
    ["IMDb", value.imdbRating],
  ];
  const actions = [item.action, ...item.secondaryActions].filter((action) => action?.kind.case);
  const click = () => logClick(view.ref.pageId, widget.logging, item);
  return el(
    "div",
    { class: "details" },
    imageElement(item.image, view),
    el(
      "div",
      { class: "details-text" },
      heading(item.title),
      value.summary ? el("p", { class: "summary" }, value.summary) : null,
      el("dl", {}, ...facts.filter(([, text]) => text).flatMap(([name, text]) => [el("dt", {}, name), el("dd", {}, text)])),
      el(
        "div",
        { class: "details-actions", role: "group", "aria-label": item.accessibilityLabel || item.title },
        // The page says whether the title is a favorite: the favorite button starts in that state.
        ...actions.map((action) => actionButton(action!, view, click, action!.kind.case === "toggleFavorite" ? value.favorite : undefined)),
      ),
    ),
  );
}
