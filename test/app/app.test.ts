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

const loadedImages = (page: Page) =>
  page.locator("img").evaluateAll((images) => images.filter((image) => (image as HTMLImageElement).naturalWidth > 0).length);
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
    const scrollY = await page.evaluate(() => window.scrollY);
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
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrollY);
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
