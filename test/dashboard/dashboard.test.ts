/**
 * The operator dashboard end to end: the real server on a temporary file store, the real build of
 * the dashboard, driven in headless Chromium. Screenshots of the main screens go to test/artifacts/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessDdsClient } from "../../dds/client.ts";
import { createDdsServices } from "../../dds/services.ts";
import { buildDashboard } from "../../dashboard/build.ts";
import { ARTIFACTS_DIR, launchChromium } from "../support/chromium.ts";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { devToken } from "../support/tessera.ts";

let api: LayoutApi;
let browser: Browser;

beforeAll(async () => {
  await buildDashboard();
  // Image URLs relative to the server, so the browser loads the real placeholder artwork.
  api = await startLayoutApi({ dds: inProcessDdsClient(createDdsServices({ imageBaseUrl: "/images" })) });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

interface ServedPage {
  layoutVersion: string;
  widgets: { instanceId: string; tray?: { items: unknown[] } }[];
}

/** GET /v1/pages/home as a signed-in kid on the web app, in protobuf JSON. */
async function servedKidsHome(): Promise<ServedPage> {
  const token = await devToken({ userId: "kid1", cohort: "kids" });
  const response = await fetch(`${api.baseUrl}/v1/pages/home?platform=web&clientVersion=5.0.0`, {
    headers: { accept: "application/json", authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ServedPage;
}

/** The served page once it is at `version` (publishes reach the compositor asynchronously). */
async function servedKidsHomeAt(version: number): Promise<ServedPage> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const page = await servedKidsHome();
    if (page.layoutVersion === String(version)) return page;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`GET /v1/pages/home never reached layout version ${version}`);
}

const order = (page: ServedPage) => page.widgets.map((widget) => widget.instanceId);

async function openDashboard(role: "operator" | "viewer", userId: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${api.baseUrl}/dashboard`);
  await page.locator("textarea[name=token]").fill(await devToken({ userId, roles: [role] }));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".page-list table").waitFor();
  expect(problems).toEqual([]);
  return page;
}

const rowIds = (page: Page) => page.locator(".placement-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-instance")));
const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS_DIR}dashboard-${name}.png` });

describe("the operator dashboard", () => {
  it("edits the kids variant, previews it as the kids cohort, publishes and rolls back", async () => {
    const before = await servedKidsHome();
    expect(order(before).slice(0, 5)).toEqual(["hero", "continue-watching", "top-picks", "genre-adventure", "genre-comedy"]);
    expect(before.widgets.find((w) => w.instanceId === "genre-adventure")?.tray?.items).toHaveLength(20);

    // Sign in.
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${api.baseUrl}/dashboard`);
    await shot(page, "1-sign-in");
    await page.locator("textarea[name=token]").fill(await devToken({ userId: "alice", roles: ["operator"] }));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".page-list table").waitFor();
    await shot(page, "2-pages");
    await page.getByRole("link", { name: "home" }).click();
    await page.locator(".variant-card", { hasText: "kids" }).click();
    await page.locator(".title-variant", { hasText: "kids" }).waitFor();
    const initial = await rowIds(page);
    expect(initial.slice(0, 5)).toEqual(["hero", "continue-watching", "top-picks", "genre-adventure", "genre-comedy"]);

    // Reorder by keyboard: genre-adventure picked up, moved up one, dropped.
    await page.locator('[data-handle="genre-adventure"]').focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Space");
    expect((await rowIds(page)).slice(0, 5)).toEqual(["hero", "continue-watching", "genre-adventure", "top-picks", "genre-comedy"]);
    await expect.poll(() => page.getByTestId("reorder-announcement").textContent()).toContain("genre-adventure dropped at position 3");

    // Reorder by drag and drop: genre-comedy dragged onto the upper half of hero.
    await page
      .locator('[data-instance="genre-comedy"]')
      .dragTo(page.locator('[data-instance="hero"]'), { targetPosition: { x: 200, y: 4 } });
    expect((await rowIds(page)).slice(0, 5)).toEqual(["genre-comedy", "hero", "continue-watching", "genre-adventure", "top-picks"]);

    // An invalid config value: the server's error shows at the field, and publishing is blocked.
    await page.locator('[data-instance="genre-adventure"] .row-main').click();
    const limit = page.locator('[data-field="config.limit"]');
    await limit.locator("input").fill("500");
    await expect.poll(() => limit.locator(".field-error").textContent(), { timeout: 5000 }).toMatch(/50/);
    expect(await limit.locator("input").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("button", { name: "Publish…" }).isDisabled()).toBe(true);
    await shot(page, "3-invalid-config");
    await limit.locator("input").fill("10");
    await expect.poll(() => limit.locator(".field-error").count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => page.getByRole("button", { name: "Publish…" }).isEnabled()).toBe(true);
    await shot(page, "4-editor");

    // A placement's yes-or-no settings, each a labelled checkbox: genre-adventure is neither essential nor deferred.
    const deferred = page.getByLabel("Deferred", { exact: true });
    expect(await page.getByLabel("Essential", { exact: true }).isChecked()).toBe(false);
    expect(await deferred.isChecked()).toBe(false);
    await deferred.check();
    await expect.poll(() => deferred.isChecked()).toBe(true);
    await deferred.uncheck();
    await expect.poll(() => deferred.isChecked()).toBe(false);

    // Preview as the kids cohort: the kids variant of the working copy, with kids' titles and images.
    await page.getByRole("tab", { name: "Preview" }).click();
    await page.locator("select[name=cohort]").selectOption("kids");
    await page.locator("input[name=userId]").fill("kid1");
    await page.getByRole("button", { name: "Preview", exact: true }).click();
    await expect.poll(() => page.getByTestId("preview-summary").textContent()).toContain("As kids on web 5.0.0 for kid1");
    expect(await page.getByTestId("preview-summary").textContent()).toContain("variant kids");
    const previewOrder = await page
      .locator(".preview-widget")
      .evaluateAll((cards) => cards.map((card) => card.getAttribute("data-instance")));
    expect(previewOrder.slice(0, 5)).toEqual(["genre-comedy", "hero", "continue-watching", "genre-adventure", "top-picks"]);
    const ratings = await page.locator(".preview-rating").allTextContents();
    expect(ratings.length).toBeGreaterThan(0);
    expect(ratings.every((rating) => ["G", "PG"].includes(rating))).toBe(true);
    // A string, as it runs in the browser: the server's tsconfig has no DOM types.
    await page.waitForFunction(
      '[...document.querySelectorAll(".preview-widget img")].slice(0, 12).every((img) => img.complete && img.naturalWidth > 0)',
    );
    await shot(page, "5-preview-kids");

    // The changes against what is live, then publish with a message.
    await page.getByRole("tab", { name: /Changes/ }).click();
    const changes = (await page.locator(".change").allTextContents()).join("\n");
    expect(changes).toContain("genre-adventure config.limit: 20 → 10");
    expect(changes).toContain("genre-comedy moved from position 5 to 1");
    await shot(page, "6-changes");
    await page.getByRole("button", { name: "Publish…" }).click();
    await page.locator("input[name=publish-message]").fill("Kids: comedy first, a shorter adventure tray");
    await shot(page, "7-publish-dialog");
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.locator(".toast", { hasText: "Published version 2" }).waitFor();

    const published = await servedKidsHomeAt(2);
    expect(order(published).slice(0, 5)).toEqual(["genre-comedy", "hero", "continue-watching", "genre-adventure", "top-picks"]);
    expect(published.widgets.find((w) => w.instanceId === "genre-adventure")?.tray?.items).toHaveLength(10);

    // History with author, time and message; roll back to version 1.
    await page.getByRole("tab", { name: "History" }).click();
    const latest = page.locator('tr[data-version="2"]');
    await latest.waitFor();
    expect(await latest.textContent()).toContain("alice");
    expect(await latest.textContent()).toContain("Kids: comedy first, a shorter adventure tray");
    await shot(page, "8-history");
    await page.getByRole("button", { name: "Roll back to v1" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Roll back" }).click();
    await page.locator(".toast", { hasText: "Version 1 is live again as version 3" }).waitFor();

    const reverted = await servedKidsHomeAt(3);
    expect(order(reverted)).toEqual(order(before));
    expect(reverted.widgets.find((w) => w.instanceId === "genre-adventure")?.tray?.items).toHaveLength(20);
    await page.getByRole("tab", { name: "Edit" }).click();
    expect(await rowIds(page)).toEqual(initial);
    await page.close();
  });

  it("gives a viewer a read-only view", async () => {
    const page = await openDashboard("viewer", "vera");
    await page.getByRole("link", { name: "home" }).click();
    await page.locator(".placement-row").first().waitFor();
    expect(await page.locator(".pill-readonly").textContent()).toBe("Read-only");
    expect(await page.locator("[data-handle]").count()).toBe(0);
    expect(await page.getByRole("button", { name: /Publish|Save draft/ }).count()).toBe(0);
    expect(await page.locator(".placement-row").first().getAttribute("draggable")).toBe("false");
    await page.locator(".placement-row .row-main").nth(3).click();
    expect(await page.locator('[data-field="config.limit"] input').isDisabled()).toBe(true);
    await shot(page, "9-viewer");

    // A viewer may preview, here an experiment variation on the web.
    await page.getByRole("tab", { name: "Preview" }).click();
    await page.locator("select[name=experiment]").selectOption("home-hero=hero-v2");
    await page.getByRole("button", { name: "Preview", exact: true }).click();
    await expect.poll(() => page.getByTestId("preview-summary").textContent()).toContain("variant home-hero-v2");
    await page.close();
  });

  it("shows a 409 conflict with what changed and reloads without losing the edit", async () => {
    const page = await openDashboard("operator", "alice");
    await page.getByRole("link", { name: "home" }).click();
    await page.locator(".variant-card", { hasText: "kids" }).click();
    await page.locator(".title-variant", { hasText: "kids" }).waitFor();

    // alice removes favorites; meanwhile bob saves a draft with another change.
    await page.getByRole("button", { name: "Remove favorites" }).click();
    const bob = await api.client("operator", "bob");
    const { draft } = await bob.getLayout({ pageId: "home" });
    const layout = draft!.layout!;
    const comedy = layout.variants
      .find((variant) => variant.id === "kids")!
      .placements.find((placement) => placement.instanceId === "genre-comedy")!;
    comedy.config = { ...comedy.config, limit: 7 };
    await bob.saveDraft({ pageId: "home", layout, baseRevision: draft!.revision });

    await page.getByRole("button", { name: "Save draft" }).click();
    const banner = page.getByRole("alert", { name: "Conflict" });
    await banner.waitFor();
    expect(await banner.textContent()).toContain("bob");
    expect(await banner.textContent()).toContain("genre-comedy config.limit: 20 → 7");
    await shot(page, "10-conflict");

    // Reloading keeps alice's edit and bob's change: neither is lost.
    await banner.getByRole("button", { name: "Reload, keep my edit" }).click();
    expect(await rowIds(page)).not.toContain("favorites");
    expect(await page.locator('[data-instance="genre-comedy"] .row-config').textContent()).toContain("limit: 7");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.locator(".toast", { hasText: "Draft saved" }).waitFor();
    const saved = await bob.getLayout({ pageId: "home" });
    expect(saved.draft!.author).toBe("alice");
    const kids = saved.draft!.layout!.variants.find((variant) => variant.id === "kids")!;
    expect(kids.placements.map((p) => p.instanceId)).not.toContain("favorites");
    expect(kids.placements.find((p) => p.instanceId === "genre-comedy")!.config).toMatchObject({ limit: 7 });
    await page.close();
  });

  it("keeps unsaved edits across a reload of the tab, after asking before leaving", async () => {
    const page = await openDashboard("operator", "olga");
    await page.getByRole("link", { name: "home" }).click();
    await page.locator(".variant-card", { hasText: "tv" }).click();
    await page.locator(".title-variant", { hasText: "tv" }).waitFor();
    await page.getByRole("button", { name: "Remove top-picks" }).click();
    expect(await rowIds(page)).not.toContain("top-picks");

    const asked: string[] = [];
    page.on("dialog", (dialog) => {
      asked.push(dialog.type());
      dialog.accept();
    });
    await page.reload();
    await page.locator(".title-variant", { hasText: "tv" }).waitFor();
    expect(asked).toEqual(["beforeunload"]);
    expect(await rowIds(page)).not.toContain("top-picks");
    expect(await page.getByTestId("draft-status").textContent()).toContain("Unsaved edits");

    await page.getByRole("button", { name: "Undo" }).click();
    expect(await rowIds(page)).toContain("top-picks");

    // Add a widget from the registry, which shows every template version with its status.
    await page.locator('[data-instance="top-picks"] .row-main').click();
    await page.getByRole("tab", { name: "Add widget" }).click();
    const hero = page.locator('.picker-item[data-widget="hero"]');
    expect(await hero.locator(".versions tbody tr").count()).toBeGreaterThan(1);
    expect(await hero.locator(".status").allTextContents()).toContain("deprecated");
    await shot(page, "12-add-widget");
    await page.getByRole("button", { name: "Add favorites" }).click();
    const rows = await rowIds(page);
    expect(rows[rows.indexOf("top-picks") + 1]).toBe("favorites");
    expect(await page.locator(".inspector-head h2").textContent()).toBe("favorites");
    await page.close();
  });

  it("edits who gets a variant, with the server's error at the match field", async () => {
    const page = await openDashboard("operator", "omar");
    await page.getByRole("link", { name: "home" }).click();
    await page.locator(".variant-card", { hasText: "tv" }).click();
    await page.locator(".title-variant", { hasText: "tv" }).waitFor();
    await page.getByRole("tab", { name: "Variant" }).click();
    const version = page.locator('[data-field="match.clientVersion"]');
    await version.locator("input").fill("banana");
    await expect.poll(() => version.locator(".field-error").count(), { timeout: 5000 }).toBe(1);
    await shot(page, "11-variant-invalid");
    await version.locator("input").fill(">=3.0.0");
    await expect.poll(() => version.locator(".field-error").count(), { timeout: 5000 }).toBe(0);
    await page.locator('[data-field="match.regions"] input').fill("fr, be");
    await expect.poll(() => page.locator(".variant-card.selected .chips").textContent()).toContain("FR, BE");
    await page.getByRole("tab", { name: /Changes/ }).click();
    const changes = (await page.locator(".change").allTextContents()).join("\n");
    expect(changes).toContain("match.clientVersion: — → >=3.0.0");
    expect(changes).toContain('match.regions: — → ["FR","BE"]');
    await page.close();
  });

  it("refuses tokens that cannot read layouts, saying why, at sign-in", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${api.baseUrl}/dashboard`);
    const token = page.locator("textarea[name=token]");
    const error = page.locator("#token-error");

    await token.fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => error.textContent()).toContain("not a token");

    await token.fill(await devToken({ userId: "u42" }));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => error.textContent()).toContain("no operator or viewer role");

    await token.fill((await devToken({ userId: "alice", roles: ["operator"] })).slice(0, -4) + "AAAA");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => error.textContent()).toContain("signature");
    expect(await page.locator(".page-list").count()).toBe(0);
    await page.close();
  });

  it("shows who published meanwhile when a publish is stale, and publishes after a reload", async () => {
    const page = await openDashboard("operator", "alice");
    await page.getByRole("link", { name: "home" }).click();
    await page.locator(".variant-card", { hasText: "android-legacy" }).click();
    await page.locator(".title-variant", { hasText: "android-legacy" }).waitFor();
    await page.getByRole("button", { name: "Remove genre-action" }).click();

    // Meanwhile bob republishes an old version: the version alice's publish is based on is gone.
    const bob = await api.client("operator", "bob");
    const { published } = await bob.getLayout({ pageId: "home" });
    const rolledBack = await bob.rollback({ pageId: "home", toVersion: 1, baseVersion: published!.version, message: "bob's rollback" });

    await page.getByRole("button", { name: "Publish…" }).click();
    await page.locator("input[name=publish-message]").fill("Android legacy: no action tray");
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const banner = page.getByRole("alert", { name: "Conflict" });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`Version ${rolledBack.version!.version} was published by bob`);
    expect(await banner.textContent()).toContain("bob's rollback");

    await banner.getByRole("button", { name: "Reload, keep my edit" }).click();
    expect(await rowIds(page)).not.toContain("genre-action");
    await page.getByRole("button", { name: "Publish…" }).click();
    await page.locator("input[name=publish-message]").fill("Android legacy: no action tray");
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.locator(".toast", { hasText: `Published version ${rolledBack.version!.version + 1}` }).waitFor();
    const { published: now } = await bob.getLayout({ pageId: "home" });
    expect(now!.author).toBe("alice");
    expect(now!.layout!.variants.find((variant) => variant.id === "android-legacy")!.placements.map((p) => p.instanceId)).not.toContain(
      "genre-action",
    );
    await page.close();
  });
});
