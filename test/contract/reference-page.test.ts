/**
 * Issue 14's contract on the reference page (signed in, web, 5.0.0), read as a client reads it: the
 * protobuf JSON. Every item has an action and an accessibility label, every widget its logging data,
 * each genre tray a page token whose next page holds other titles, and a tampered token is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import { devToken, startTessera } from "../support/tessera.ts";

interface JsonItem {
  contentId: string;
  action?: Record<string, unknown>;
  accessibilityLabel?: string;
}
interface JsonWidget {
  instanceId: string;
  type: string;
  logging?: { pageViewId?: string; instanceId?: string; position?: number; variantId?: string };
  nextPageToken?: string;
  [body: string]: unknown;
}

const DIMENSIONS = "platform=web&clientVersion=5.0.0";

function itemsOf(widget: JsonWidget): JsonItem[] {
  for (const body of ["hero", "tray", "continueWatching", "grid"]) {
    const value = widget[body] as { items?: JsonItem[]; slides?: JsonItem[] } | undefined;
    if (value) return value.items ?? value.slides ?? [];
  }
  return [];
}

describe("the reference page's contract (signed in, web, 5.0.0)", () => {
  let tessera: Tessera;
  let headers: Record<string, string>;
  let widgets: JsonWidget[];

  beforeAll(async () => {
    tessera = await startTessera();
    headers = { authorization: `Bearer ${await devToken({ userId: "u42" })}`, accept: "application/json" };
    const response = await tessera.app.inject({ url: `/v1/pages/home?${DIMENSIONS}`, headers });
    expect(response.statusCode).toBe(200);
    widgets = (response.json() as { widgets: JsonWidget[] }).widgets;
  });
  afterAll(() => tessera?.app.close());

  const widgetOf = (response: { statusCode: number; json(): unknown }) => {
    expect(response.statusCode).toBe(200);
    return response.json() as JsonWidget;
  };

  it("holds the reference page's 14 widgets", () => {
    expect(widgets).toHaveLength(14);
  });

  it("gives every item an action and an accessibility label naming its title", () => {
    const items = widgets.flatMap(itemsOf);
    expect(items.length).toBeGreaterThan(200);
    for (const item of items) {
      expect(item.action, item.contentId).toBeDefined();
      expect(item.accessibilityLabel, item.contentId).toBeTruthy();
    }
  });

  it("gives every widget its logging data, one page view for the whole page", () => {
    const pageViews = new Set<string | undefined>();
    widgets.forEach((widget, position) => {
      expect(widget.logging?.instanceId).toBe(widget.instanceId);
      expect(widget.logging?.position ?? 0).toBe(position);
      expect(widget.logging?.variantId).toBeTruthy();
      pageViews.add(widget.logging?.pageViewId);
    });
    expect(pageViews.size).toBe(1);
    expect([...pageViews][0]).toBeTruthy();
  });

  it("gives each genre tray a page token whose next page holds other titles", async () => {
    const trays = widgets.filter((widget) => widget.type === "genre-tray");
    expect(trays).toHaveLength(10);
    for (const tray of trays) {
      expect(tray.nextPageToken, tray.instanceId).toBeTruthy();
      const url = `/v1/pages/home/widgets/${tray.instanceId}?${DIMENSIONS}&pageToken=${encodeURIComponent(tray.nextPageToken!)}`;
      const next = widgetOf(await tessera.app.inject({ url, headers }));
      const before = new Set(itemsOf(tray).map((item) => item.contentId));
      const after = itemsOf(next).map((item) => item.contentId);
      expect(after.length, tray.instanceId).toBeGreaterThan(0);
      for (const id of after) expect(before.has(id), `${tray.instanceId}: ${id} again`).toBe(false);
    }
  });

  it("refuses a tampered page token with 400 naming the token", async () => {
    const tray = widgets.find((widget) => widget.type === "genre-tray")!;
    const token = tray.nextPageToken!;
    const flipped = token.slice(0, 10) + (token[10] === "A" ? "B" : "A") + token.slice(11);
    const url = `/v1/pages/home/widgets/${tray.instanceId}?${DIMENSIONS}&pageToken=${encodeURIComponent(flipped)}`;
    const response = await tessera.app.inject({ url, headers });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: "invalid-parameter" });
    expect((response.json() as { message: string }).message).toMatch(/pageToken/);
  });
});
