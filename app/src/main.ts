/**
 * Tessera's reference client: a web app at 5.0.0 that shows what the SDUI contract means. It asks for
 * a page as protobuf, draws its widgets, runs the items' actions, loads more items and deferred
 * widgets, and reports impressions and clicks. The page shown is in the address:
 * /app/ is home, /app/?page=title&contentId=m12 the title page (its parameters by name), so that the
 * back button returns to the previous page, at the scroll position it had.
 */
import type { PageRef } from "./api.ts";
import { ApiFailure, fetchPage } from "./api.ts";
import { button, el } from "./dom.ts";
import { startSendingEvents } from "./event-queue.ts";
import { ImpressionTracker } from "./logging.ts";
import { signOut, takeTokenFromUrl, userName } from "./session.ts";
import type { PageView } from "./view.ts";
import { showFavorite } from "./tile.ts";
import { renderWidget } from "./widgets.ts";

const main = document.getElementById("page")!;
let leave = new AbortController();
let tracker: ImpressionTracker | undefined;
let shown = 0;

function refOf(url: URL): PageRef {
  const pageId = url.searchParams.get("page") || "home";
  const parameters = [...url.searchParams].filter(([name]) => name !== "page").map(([name, value]) => ({ name, value }));
  return { pageId, parameters };
}

function urlOf(ref: PageRef): string {
  const query = new URLSearchParams(ref.pageId === "home" ? [] : [["page", ref.pageId]]);
  for (const { name, value } of ref.parameters) query.set(name, value);
  const search = query.toString();
  return `/app/${search ? `?${search}` : ""}`;
}

/** Opens a page with a history entry; the page left keeps its scroll position in its own entry. */
function open(ref: PageRef): void {
  history.replaceState({ scrollY: window.scrollY }, "");
  history.pushState({ scrollY: 0 }, "", urlOf(ref));
  void show(ref, 0);
}

async function show(ref: PageRef, scrollY: number): Promise<void> {
  const attempt = ++shown;
  leave.abort();
  tracker?.close();
  leave = new AbortController();
  main.setAttribute("aria-busy", "true");
  main.replaceChildren(el("p", { class: "loading" }, "Loading…"));
  try {
    const page = await fetchPage(ref);
    if (attempt !== shown) return; // the user went elsewhere meanwhile
    tracker = new ImpressionTracker(page.pageId);
    const view: PageView = { ref, imageBaseUrl: page.imageBaseUrl, impressions: tracker, signal: leave.signal, open };
    document.title = `Tessera · ${page.pageId}`;
    main.replaceChildren(...page.widgets.map((widget) => renderWidget(widget, view)));
    // What the page knows of a title's favorite state goes to every favorite button of that title.
    for (const widget of page.widgets) {
      const details = widget.body.case === "titleDetails" ? widget.body.value : undefined;
      if (details?.item) showFavorite(main, details.item.contentId, details.favorite);
    }
    main.dataset.pageId = page.pageId;
    window.scrollTo(0, scrollY);
  } catch (error) {
    if (attempt !== shown) return;
    main.replaceChildren(failure(ref, error));
  } finally {
    if (attempt === shown) main.removeAttribute("aria-busy");
  }
}

/** A page that could not be had: what the server said, and a way on. */
function failure(ref: PageRef, error: unknown): HTMLElement {
  const detail = error instanceof ApiFailure ? `${error.message} (${error.status || error.code})` : String(error);
  return el(
    "div",
    { class: "failure", role: "alert" },
    el("h1", {}, `The ${ref.pageId} page could not be loaded`),
    el("p", {}, detail),
    button("Try again", () => void show(ref, 0)),
    " ",
    button("Back", () => history.back()),
  );
}

function header(): HTMLElement {
  const user = userName();
  const home = el("a", { href: "/app/", class: "brand" }, "Tessera");
  home.addEventListener("click", (event) => {
    event.preventDefault();
    open({ pageId: "home", parameters: [] });
  });
  const who = user
    ? el(
        "span",
        { class: "who" },
        `Signed in as ${user} `,
        button("Sign out", () => (signOut(), location.reload())),
      )
    : el("span", { class: "who" }, "Anonymous (open /app/#token=… to sign in)");
  return el("header", { class: "bar" }, home, who);
}

takeTokenFromUrl();
history.scrollRestoration = "manual";
document.body.prepend(header());
addEventListener("popstate", (event) => {
  const state = event.state as { scrollY?: number } | null;
  void show(refOf(new URL(location.href)), state?.scrollY ?? 0);
});
startSendingEvents();
void show(refOf(new URL(location.href)), (history.state as { scrollY?: number } | null)?.scrollY ?? 0);
