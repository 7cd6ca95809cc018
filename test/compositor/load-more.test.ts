/** Load more: page tokens on paging widgets, the widget endpoint (HTTP and Connect GetWidget), its refusals. */
import { fromBinary, fromJsonString, toJsonString } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import { createStaticLayoutSource, loadLayoutFiles } from "../../compositor/layouts/static-source.ts";
import { SEED_DIR } from "../../layout-service/seed.ts";
import { PageService } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { WidgetSchema, type Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import { decodePage, itemsOf } from "../support/page.ts";
import { devToken, startTessera } from "../support/tessera.ts";

const REFERENCE = "platform=web&clientVersion=5.0.0";
const layouts = loadLayoutFiles(SEED_DIR);
let tessera: Tessera;
let baseUrl: string;
let u42: string;
let u43: string;
beforeAll(async () => {
  tessera = await startTessera({ layouts: createStaticLayoutSource(layouts) });
  baseUrl = await tessera.app.listen({ host: "127.0.0.1", port: 0 });
  [u42, u43] = [await devToken({ userId: "u42", persona: "p3" }), await devToken({ userId: "u43", persona: "p3" })];
});
afterAll(() => tessera.app.close());

async function page(bearer: string) {
  const response = await tessera.app.inject({ url: `/v1/pages/home?${REFERENCE}`, headers: { authorization: `Bearer ${bearer}` } });
  expect(response.statusCode).toBe(200);
  return decodePage(response.rawPayload);
}

function widgetRequest(instanceId: string, pageToken: string, bearer = u42, headers: Record<string, string> = {}) {
  return tessera.app.inject({
    url: `/v1/pages/home/widgets/${instanceId}?${REFERENCE}&pageToken=${encodeURIComponent(pageToken)}`,
    headers: { authorization: `Bearer ${bearer}`, ...headers },
  });
}

async function nextWidget(instanceId: string, pageToken: string): Promise<Widget> {
  const response = await widgetRequest(instanceId, pageToken);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers["content-type"]).toBe("application/x-protobuf");
  return fromBinary(WidgetSchema, response.rawPayload);
}

const trays = (widgets: Widget[]) => widgets.filter((widget) => widget.type === "genre-tray");

describe("load more", () => {
  it("gives each genre tray of the reference page a page token, and widgets that do not page none", async () => {
    const { widgets } = await page(u42);
    expect(trays(widgets).length).toBeGreaterThanOrEqual(8);
    for (const widget of widgets) expect(widget.nextPageToken !== "", widget.instanceId).toBe(widget.type === "genre-tray");
  });

  it("pages every genre tray to its end: other titles each time, none twice, no token after the last", async () => {
    for (const tray of trays((await page(u42)).widgets)) {
      const seen = itemsOf(tray).map((item) => item.contentId);
      let token = tray.nextPageToken;
      let pages = 1;
      while (token) {
        const next = await nextWidget(tray.instanceId, token);
        expect([next.instanceId, next.type, next.body.case]).toEqual([tray.instanceId, "genre-tray", "tray"]);
        const ids = itemsOf(next).map((item) => item.contentId);
        expect(ids.length).toBeGreaterThan(0);
        seen.push(...ids);
        token = next.nextPageToken;
        pages++;
        expect(pages).toBeLessThan(10);
      }
      expect(pages, tray.instanceId).toBeGreaterThan(1);
      expect(new Set(seen).size, tray.instanceId).toBe(seen.length);
    }
  });

  it("answers protobuf JSON with Accept: application/json, and a second time from the widget cache the same", async () => {
    const tray = trays((await page(u42)).widgets)[0]!;
    const first = await widgetRequest(tray.instanceId, tray.nextPageToken, u42, { accept: "application/json" });
    expect(first.statusCode).toBe(200);
    expect(first.headers["content-type"]).toMatch(/^application\/json/);
    const widget = fromJsonString(WidgetSchema, first.body);
    expect(itemsOf(widget).length).toBeGreaterThan(0);
    expect(first.headers["cache-control"]).toBe("private, no-cache");
    const again = await widgetRequest(tray.instanceId, tray.nextPageToken, u42, { accept: "application/json" });
    // Each answer is a page view of its own (logging.page_view_id); the rest is the same.
    const withoutView = (json: string) => {
      const answer = fromJsonString(WidgetSchema, json);
      answer.logging!.pageViewId = "";
      return toJsonString(WidgetSchema, answer);
    };
    expect(withoutView(again.body)).toBe(withoutView(first.body));
  });

  it("refuses a token with one byte changed, another widget's, none: 400 naming pageToken", async () => {
    const [drama, other] = trays((await page(u42)).widgets);
    const token = drama!.nextPageToken;
    const flipped = `${token.slice(0, 12)}${token[12] === "A" ? "B" : "A"}${token.slice(13)}`;
    const refusals = [
      [await widgetRequest(drama!.instanceId, flipped), /^pageToken: .*signature does not match/],
      [
        await widgetRequest(other!.instanceId, token),
        new RegExp(`^pageToken: is for widget "${drama!.instanceId}", not "${other!.instanceId}"`),
      ],
      [await widgetRequest(drama!.instanceId, ""), /^pageToken: is required/],
    ] as const;
    for (const [response, message] of refusals) {
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("invalid-parameter");
      expect(response.json().message).toMatch(message);
    }
  });

  it("refuses an expired token: 400 saying it expired", async () => {
    const tray = trays((await page(u42)).widgets)[0]!;
    const realNow = Date.now;
    // Anonymous: a bearer token would have expired too.
    const anonymous = await tessera.app.inject({ url: `/v1/pages/home?${REFERENCE}` });
    const anonymousTray = decodePage(anonymous.rawPayload).widgets.find((widget) => widget.instanceId === tray.instanceId)!;
    Date.now = () => realNow() + 3 * 3_600_000;
    try {
      const response = await tessera.app.inject({
        url: `/v1/pages/home/widgets/${tray.instanceId}?${REFERENCE}&pageToken=${anonymousTray.nextPageToken}`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ code: "invalid-parameter", message: "pageToken: has expired; reload the page" });
    } finally {
      Date.now = realNow;
    }
  });

  it("answers 404 for a widget the page does not have, and 409 once the page was published again", async () => {
    const tray = trays((await page(u42)).widgets)[0]!;
    const unknown = await widgetRequest("no-such-widget", tray.nextPageToken);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ code: "not-found", message: 'page "home" has no widget "no-such-widget" for this request' });
    const published = layouts.get("home")!;
    layouts.set("home", { ...published, version: published.version + 1 });
    try {
      const changed = await widgetRequest(tray.instanceId, tray.nextPageToken);
      expect(changed.statusCode).toBe(409);
      expect(changed.json()).toEqual({
        code: "conflict",
        message: "pageToken: the page has changed since the token was made; reload the page",
      });
    } finally {
      layouts.set("home", published);
    }
  });

  it("GetWidget over Connect: the next items, and the same refusals as Connect codes", async () => {
    const tray = trays((await page(u42)).widgets)[0]!;
    const client = createClient(PageService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
    const headers = { authorization: `Bearer ${u42}` };
    const request = { pageId: "home", platform: "web", clientVersion: "5.0.0", instanceId: tray.instanceId, pageToken: tray.nextPageToken };
    const { widget } = await client.getWidget(request, { headers });
    const first = new Set(itemsOf(tray).map((item) => item.contentId));
    expect(itemsOf(widget!).length).toBeGreaterThan(0);
    expect(itemsOf(widget!).some((item) => first.has(item.contentId))).toBe(false);
    expect(widget!.nextPageToken).not.toBe("");
    const flipped = `${tray.nextPageToken.slice(0, 12)}${tray.nextPageToken[12] === "A" ? "B" : "A"}${tray.nextPageToken.slice(13)}`;
    const refused = await client.getWidget({ ...request, pageToken: flipped }, { headers }).then(
      () => undefined,
      (error: unknown) => ConnectError.from(error),
    );
    expect(refused?.code).toBe(Code.InvalidArgument);
    expect(refused?.rawMessage).toMatch(/^pageToken: .*signature does not match/);
  });

  it("composes for whoever asks: another user's token answers the asker's own widget at its cursor", async () => {
    const tray = trays((await page(u42)).widgets)[0]!;
    const theirs = await widgetRequest(tray.instanceId, tray.nextPageToken, u42);
    const mine = await widgetRequest(tray.instanceId, tray.nextPageToken, u43);
    expect(mine.statusCode).toBe(200);
    expect(itemsOf(fromBinary(WidgetSchema, mine.rawPayload)).map((item) => item.contentId)).toEqual(
      itemsOf(fromBinary(WidgetSchema, theirs.rawPayload)).map((item) => item.contentId),
    );
  });
});
