/**
 * The reference client end to end: the real server, the real build of the app at /app, driven in
 * headless Chromium. Screenshots go to test/artifacts/.
 */
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app/build.ts";
import { inProcessDdsClient } from "../../dds/client.ts";
import { createDdsServices } from "../../dds/services.ts";
import type { Tessera } from "../../compositor/server.ts";
import { ARTIFACTS_DIR, launchChromium } from "../support/chromium.ts";
import { devToken, startTessera } from "../support/tessera.ts";

let tessera: Tessera;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  await buildApp();
  // Image URLs relative to the server, so the browser loads the real placeholder artwork.
  tessera = await startTessera({ dds: inProcessDdsClient(createDdsServices({ imageBaseUrl: "/images" })), imageBaseUrl: "/images" });
  baseUrl = await tessera.app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await tessera?.app.close();
});

/** The app at `path` (after /app/), signed in as `userId` when given; its script errors are collected. */
async function openApp(path = "", userId?: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  const fragment = userId ? `#token=${await devToken({ userId })}` : "";
  await page.goto(`${baseUrl}/app/${path}${fragment}`);
  return { page, problems };
}

const loadedImages = (page: Page) => page.evaluate<number>("[...document.images].filter((image) => image.naturalWidth > 0).length");
const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS_DIR}app-${name}.png` });

describe("the reference client", () => {
  it("serves its files at /app and /app/, and a clear 404 for a file it does not have", async () => {
    for (const path of ["/app", "/app/"]) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('src="/app/app.js"');
    }
    const missing = await fetch(`${baseUrl}/app/nothing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: "not-found", message: "no app file nothing.js" });
  });

  it("renders the home page from protobuf: hero, rows, continue watching, images, headings and accessibility labels", async () => {
    const { page, problems } = await openApp("", "u42");
    await page.locator(".widget").first().waitFor();
    expect(await page.locator(".widget-hero .slide").count()).toBe(5);
    expect(await page.locator(".widget-tray").count()).toBeGreaterThanOrEqual(11);
    expect(await page.locator(".widget-continueWatching .progress").count()).toBeGreaterThan(0);
    expect(await page.locator(".widget-grid .tile").count()).toBeGreaterThan(0);
    await expect.poll(() => loadedImages(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(100);

    // Every widget is a region named by its heading; every tile's accessible name is the item's label.
    const headings = await page.locator(".widget h2").allTextContents();
    expect(headings).toContain("Top picks for you");
    expect(await page.getByRole("region", { name: "Top picks for you" }).count()).toBe(1);
    const labels = await page.locator(".tile-face").evaluateAll((faces) => faces.map((face) => face.getAttribute("aria-label")));
    expect(labels.length).toBeGreaterThan(200);
    expect(labels.every((label) => label && label.length > 0)).toBe(true);
    expect(labels).toContainEqual(expect.stringMatching(/^.+, \d{4}/));
    expect(await page.locator("header").textContent()).toContain("Signed in as u42");
    expect(problems).toEqual([]);
    await shot(page, "1-home");
    await page.close();
  });

  it("opens the page an item's action names, its parameters in the query, and back returns to where the user was", async () => {
    const { page, problems } = await openApp();
    await page.locator(".widget-tray .tile-face").first().waitFor();
    await page.locator('.widget[data-instance="genre-comedy"]').scrollIntoViewIfNeeded();
    const scrollY = await page.evaluate<number>("window.scrollY");
    expect(scrollY).toBeGreaterThan(0);
    const tapped = page.locator('.widget[data-instance="genre-comedy"] .tile').first();
    const contentId = await tapped.getAttribute("data-content");

    const asked = page.waitForRequest((request: Request) => new URL(request.url()).pathname === "/v1/pages/title");
    await tapped.locator(".tile-face").click();
    const query = new URL((await asked).url()).searchParams;
    expect(query.get("contentId")).toBe(contentId);
    expect(query.get("platform")).toBe("web");
    expect(query.get("clientVersion")).toBe("5.0.0");
    expect(query.get("persona")).toMatch(/^p[0-7]$/); // anonymous: the app names its own persona
    expect(new URL(page.url()).search).toBe(`?page=title&contentId=${contentId}`);
    await page.locator("main:not([aria-busy])").waitFor();
    await shot(page, "2-title");

    await page.goBack();
    await page.locator('.widget[data-instance="genre-comedy"]').waitFor();
    expect(new URL(page.url()).pathname).toBe("/app/");
    await expect.poll(() => page.evaluate<number>("window.scrollY")).toBe(scrollY);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows what the server said when a page cannot be had", async () => {
    const { page, problems } = await openApp("?page=nosuch");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain('page "nosuch" does not exist (404)');
    expect(await alert.getByRole("button", { name: "Try again" }).count()).toBe(1);
    expect(problems).toEqual([]);
    await shot(page, "3-not-found");
    await page.close();
  });
});

interface SentEvent {
  type: string;
  instanceId: string;
  contentId?: string;
  itemPosition?: number;
  [field: string]: unknown;
}

/** The app's POST /v1/events batches, recorded on their way to the server (which still answers them). */
async function recordEvents(page: Page): Promise<{ batches: SentEvent[][] }> {
  const recorded = { batches: [] as SentEvent[][] };
  await page.route("**/v1/events", async (route) => {
    recorded.batches.push((route.request().postDataJSON() as { events: SentEvent[] }).events);
    await route.continue();
  });
  return recorded;
}

// What the second edition of the contract adds: title pages, actions, load more, deferred widgets, events.
describe("the reference client against the second edition of the contract", () => {
  // The title page: its TitleDetails, play and favorite actions.
  it("shows a title's details; play says what plays; favorite toggles and keeps its new state", async () => {
    const { page, problems } = await openApp("?page=title&contentId=m12", "u42");
    const details = page.locator(".widget-titleDetails");
    await details.waitFor();
    expect(await details.locator("h2").textContent()).toBeTruthy();
    await details.getByRole("button", { name: "▶ Play" }).click();
    await expect.poll(() => page.locator("#toast").textContent()).toContain("Playing m12");

    const favorite = details.locator(".action[aria-pressed]");
    const before = await favorite.getAttribute("aria-pressed");
    expect(await page.locator('.widget[data-instance="hero"] .action[data-favorite-of="m12"]').getAttribute("aria-pressed")).toBe(before);
    const answered = page.waitForResponse((response) => response.url().endsWith("/v1/me/favorites/m12/toggle"));
    await favorite.click();
    expect((await answered).status()).toBe(200);
    await expect.poll(() => favorite.getAttribute("aria-pressed")).toBe(String(before !== "true"));
    // The hero's favorite button is the same title's: it shows the same state, before and after the toggle.
    const heroFavorite = page.locator('.widget[data-instance="hero"] .action[data-favorite-of="m12"]');
    expect(await heroFavorite.getAttribute("aria-pressed")).toBe(String(before !== "true"));
    await shot(page, "4-title-favorite");
    await page.reload();
    await details.waitFor();
    expect(await details.locator(".action[aria-pressed]").getAttribute("aria-pressed")).toBe(String(before !== "true"));
    expect(problems).toEqual([]);
    await page.close();
  });

  // An anonymous favorite is refused by the server (401), and the app says why.
  it("tells an anonymous user that favorites need a sign-in", async () => {
    const { page } = await openApp("?page=title&contentId=m12");
    await page.locator(".widget-titleDetails .action[aria-pressed]").click();
    await expect.poll(() => page.locator("#toast").textContent()).toContain("sign in");
    await page.close();
  });

  // Load more: next_page_token on genre trays and the widget endpoint.
  it("loads a genre tray's next items as it is scrolled near its end", async () => {
    const { page, problems } = await openApp("", "u42");
    const tray = page.locator('.widget[data-instance="genre-adventure"]');
    await tray.waitFor();
    const tiles = tray.locator(".tile");
    const first = await tiles.count();
    expect(first).toBe(20);
    await tray.scrollIntoViewIfNeeded();
    const asked = page.waitForRequest((request) => new URL(request.url()).pathname === "/v1/pages/home/widgets/genre-adventure");
    await tray.locator(".row").evaluate((row) => (row.scrollLeft = row.scrollWidth));
    const query = new URL((await asked).url()).searchParams;
    expect(query.get("pageToken")).toBeTruthy();
    expect(query.get("platform")).toBe("web");
    await expect.poll(() => tiles.count()).toBeGreaterThan(first);
    // No item twice: the next page continues where the first ended.
    const ids = await tiles.evaluateAll((all) => all.map((tile) => tile.getAttribute("data-content")));
    expect(new Set(ids).size).toBe(ids.length);
    expect(problems).toEqual([]);
    await page.close();
  });

  // The title page defers its "same genre" tray (layout-service/seed/title.json).
  it("draws deferred widgets in place when they come near the viewport", async () => {
    const served = await fetch(`${baseUrl}/v1/pages/title?contentId=m20&platform=web&clientVersion=5.0.0`, {
      headers: { accept: "application/json" },
    });
    const deferred = ((await served.json()) as { widgets: { instanceId: string; deferred?: unknown }[] }).widgets
      .filter((widget) => widget.deferred)
      .map((widget) => widget.instanceId);
    expect(deferred.length).toBeGreaterThan(0);
    const { page, problems } = await openApp("?page=title&contentId=m20");
    await page.locator(".widget").first().waitFor();
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)");
    for (const instanceId of deferred) {
      await expect.poll(() => page.locator(`.widget[data-instance="${instanceId}"] .tile`).count()).toBeGreaterThan(0);
    }
    expect(await page.locator(".widget[aria-busy]").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  // Impressions and clicks: Widget.logging, Item.logging and POST /v1/events.
  it("reports impressions once per page view and a click, in batches POST /v1/events accepts", async () => {
    const { page, problems } = await openApp("", "u42");
    const recorded = await recordEvents(page);
    const accepted: number[] = [];
    page.on("response", (response) => new URL(response.url()).pathname === "/v1/events" && accepted.push(response.status()));
    await page.locator(".widget-hero").waitFor();
    const events = () => recorded.batches.flat();
    await expect.poll(() => events().filter((event) => event.type === "impression").length, { timeout: 15_000 }).toBeGreaterThan(5);

    const widgetImpression = events().find((event) => event.instanceId === "hero" && event.contentId === undefined);
    expect(Object.keys(widgetImpression ?? {}).sort()).toEqual(
      [
        "type",
        "pageViewId",
        "pageId",
        "instanceId",
        "widgetPosition",
        "variantId",
        "experimentFlag",
        "experimentVariation",
        "recoRequestId",
        "timestamp",
      ].sort(),
    );
    expect(widgetImpression).toMatchObject({ type: "impression", pageId: "home", widgetPosition: 0 });
    const itemImpression = () => events().find((event) => event.instanceId === "top-picks" && event.contentId !== undefined);
    await page.locator('.widget[data-instance="top-picks"]').scrollIntoViewIfNeeded();
    await expect.poll(() => itemImpression()?.itemPosition, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    // Once per page view: no widget or item is reported twice.
    const keys = events().map((event) => `${event.type}/${event.instanceId}/${event.contentId ?? ""}/${event.itemPosition ?? ""}`);
    expect(new Set(keys).size).toBe(keys.length);

    const tapped = page.locator('.widget[data-instance="top-picks"] .tile').first();
    const contentId = await tapped.getAttribute("data-content");
    await tapped.locator(".tile-face").click();
    await expect
      .poll(() => events().find((event) => event.type === "click"), { timeout: 10_000 })
      .toMatchObject({ instanceId: "top-picks", contentId, itemPosition: 1 });
    expect(recorded.batches.every((batch) => batch.length <= 100)).toBe(true);
    expect(accepted.every((status) => status === 202)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
