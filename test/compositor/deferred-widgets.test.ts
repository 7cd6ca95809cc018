/** Deferred placements: a placeholder in the page (last in a stream), the widget itself from the widget endpoint. */
import { fromBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import { createStaticLayoutSource, loadLayoutFiles } from "../../compositor/layouts/static-source.ts";
import { SEED_DIR } from "../../layout-service/seed.ts";
import { validateLayout } from "../../layout-service/validate.ts";
import { PageService } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { WidgetSchema } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import { decodePage, itemsOf } from "../support/page.ts";
import { requestContext } from "../support/request-context.ts";
import { devToken, startTessera } from "../support/tessera.ts";

const DEFERRED = 4;
/** The seed's home page with the bottom four placements of every variant deferred. */
function deferredLayouts() {
  const layouts = loadLayoutFiles(SEED_DIR);
  const home = layouts.get("home")!;
  const variants = home.layout.variants.map((variant) => ({
    ...variant,
    placements: variant.placements.map((placement, index) => ({ ...placement, deferred: index >= variant.placements.length - DEFERRED })),
  }));
  layouts.set("home", { ...home, layout: { ...home.layout, variants } });
  return layouts;
}

let tessera: Tessera;
let baseUrl: string;
let bearer: string;
beforeAll(async () => {
  tessera = await startTessera({ layouts: createStaticLayoutSource(deferredLayouts()) });
  baseUrl = await tessera.app.listen({ host: "127.0.0.1", port: 0 });
  bearer = await devToken({ userId: "u42", persona: "p3" });
});
afterAll(() => tessera.app.close());

async function referencePage() {
  const response = await tessera.app.inject({
    url: "/v1/pages/home?platform=web&clientVersion=5.0.0",
    headers: { authorization: `Bearer ${bearer}` },
  });
  expect(response.statusCode).toBe(200);
  return decodePage(response.rawPayload);
}

describe("deferred widgets", () => {
  it("are placeholders in the page, in layout order: instance, type, template version and a page token, no body", async () => {
    const { widgets } = await referencePage();
    const placeholders = widgets.slice(-DEFERRED);
    for (const widget of placeholders) {
      expect(widget.body.case).toBeUndefined();
      expect(widget.deferred?.pageToken).toMatch(/^[\w-]+\.[\w-]+$/);
      expect(widget.type).not.toBe("");
      expect([widget.templateVersion, widget.nextPageToken]).toEqual(["1", ""]);
    }
    for (const widget of widgets.slice(0, -DEFERRED)) expect(widget.deferred).toBeUndefined();
  });

  it("come whole from the widget endpoint, a paging one with a page token of its own", async () => {
    for (const placeholder of (await referencePage()).widgets.slice(-DEFERRED)) {
      const response = await tessera.app.inject({
        url: `/v1/pages/home/widgets/${placeholder.instanceId}?platform=web&clientVersion=5.0.0&pageToken=${placeholder.deferred!.pageToken}`,
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(response.statusCode, response.body).toBe(200);
      const widget = fromBinary(WidgetSchema, response.rawPayload);
      expect([widget.instanceId, widget.type, widget.deferred]).toEqual([placeholder.instanceId, placeholder.type, undefined]);
      expect(widget.body.case).toBe(placeholder.type === "favorites" ? "grid" : "tray");
      expect(itemsOf(widget).length).toBeGreaterThan(0);
      // A genre tray pages on; the favorites grid shows them all.
      expect(widget.nextPageToken !== "").toBe(placeholder.type === "genre-tray");
    }
  });

  it("are sent last by StreamPage, after every bound widget and before the summary", async () => {
    const client = createClient(PageService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
    const events: string[] = [];
    for await (const response of client.streamPage(
      { pageId: "home", platform: "web", clientVersion: "5.0.0" },
      { headers: { authorization: `Bearer ${bearer}` } },
    )) {
      const { event } = response;
      if (event.case === "widget") events.push(event.value.widget!.deferred ? "deferred" : "bound");
      else events.push(event.case ?? "none");
    }
    expect(events.slice(-DEFERRED - 1)).toEqual([...Array(DEFERRED).fill("deferred"), "summary"]);
    expect(events.filter((event) => event === "deferred")).toHaveLength(DEFERRED);
    expect(events.slice(0, -DEFERRED - 1).every((event) => event === "bound")).toBe(true);
  });

  it("are bound in a preview of the dashboard, and an essential placement cannot be one", async () => {
    const layout = deferredLayouts().get("home")!.layout;
    const preview = await tessera.compositor.preview({ version: 0, layout } as never, requestContext());
    expect(preview?.composition.page.widgets.every((widget) => widget.deferred === undefined && widget.body.case !== undefined)).toBe(true);
    const essential = structuredClone(layout);
    essential.variants[0]!.placements.at(-1)!.essential = true;
    const { problems } = validateLayout(essential, tessera.registry);
    expect(problems).toContainEqual({
      path: `variants[0].placements[${essential.variants[0]!.placements.length - 1}].deferred`,
      message: "an essential placement cannot be deferred: the page must hold it",
    });
  });
});
