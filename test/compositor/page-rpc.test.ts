import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { PageService } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { fromJsonString } from "@bufbuild/protobuf";
import { GetPageResponseSchema } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { devToken, startTessera } from "../support/tessera.ts";
import { allItems, itemsOf } from "../support/page.ts";
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Tessera } from "../../compositor/server.ts";

let http1: Tessera;
let http2: Tessera;
let baseUrl: string;
let grpcUrl: string;
beforeAll(async () => {
  http1 = await startTessera();
  http2 = await startTessera({}, { http2: true });
  baseUrl = await http1.app.listen({ host: "127.0.0.1", port: 0 });
  grpcUrl = await http2.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await http1.app.close();
  await http2.app.close();
});

const client = (transport: Transport): Client<typeof PageService> => createClient(PageService, transport);

describe("PageService", () => {
  it.each([
    ["Connect", () => createConnectTransport({ baseUrl, httpVersion: "1.1" })],
    ["Connect binary", () => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true })],
    ["gRPC-Web", () => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })],
    ["gRPC (h2c listener)", () => createGrpcTransport({ baseUrl: grpcUrl })],
  ])("GetPage over %s composes the reference page", async (_protocol, transport) => {
    const token = await devToken({ userId: "u42", persona: "p3" });
    const response = await client(transport()).getPage(
      { pageId: "home", platform: "web", clientVersion: "5.0.0" },
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(response.page!.widgets).toHaveLength(14);
    expect(allItems(response.page!).length).toBeGreaterThan(240);
  });

  it("answers Connect GET (the RPC has no side effects), so CDNs can cache it", async () => {
    const message = encodeURIComponent(JSON.stringify({ pageId: "home", platform: "web" }));
    const response = await fetch(`${baseUrl}/tessera.page.v1.PageService/GetPage?connect=v1&encoding=json&message=${message}`);
    expect(response.status).toBe(200);
    const body = fromJsonString(GetPageResponseSchema, await response.text());
    expect(body.page!.pageId).toBe("home");
    expect(body.page!.widgets.length).toBeGreaterThan(10);
  });

  it.each([
    [{ pageId: "home", platform: "watch" }, {}, Code.InvalidArgument, "platform"],
    [{ pageId: "nowhere", platform: "web" }, {}, Code.NotFound, "nowhere"],
    [{ pageId: "home", platform: "web" }, { authorization: "Bearer junk" }, Code.Unauthenticated, "token"],
  ])("maps errors to Connect codes: %j", async (request, headers, code, mention) => {
    const transport = createConnectTransport({ baseUrl, httpVersion: "1.1" });
    const error = await client(transport)
      .getPage(request, { headers })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(code);
    expect((error as ConnectError).rawMessage).toContain(mention);
  });

  it("StreamPage sends each widget with its position, then the page summary", async () => {
    const transport = createConnectTransport({ baseUrl, httpVersion: "1.1" });
    const events = [];
    for await (const event of client(transport).streamPage({ pageId: "home", platform: "web" })) events.push(event);
    const widgets = events.filter((e) => e.event.case === "widget").map((e) => e.event.value as { position: number; widget: Widget });
    const omitted = events.filter((e) => e.event.case === "omitted").map((e) => e.event.value as { position: number });
    const last = events.at(-1)!;
    expect(last.event.case).toBe("summary");
    expect(widgets.length + omitted.length).toBe(14);
    expect([...widgets, ...omitted].map((w) => w.position).sort((a, b) => a - b)).toEqual([...Array(14).keys()]);
    expect(widgets.find((w) => w.position === 0)!.widget.instanceId).toBe("hero");
    // Each widget carries its logging data as it goes out: one page view, its own position.
    expect(new Set(widgets.map((w) => w.widget.logging!.pageViewId)).size).toBe(1);
    for (const { position, widget } of widgets) expect(widget.logging).toMatchObject({ position, instanceId: widget.instanceId });
    if (last.event.case === "summary") {
      expect(last.event.value.widgets).toEqual([]);
      expect(last.event.value.errors.map((e) => e.instanceId)).toEqual(["continue-watching", "favorites"]);
    }
  });

  it("StreamPage keeps the full item form for a client that derives links: its widgets come before the page's image base", async () => {
    const transport = createConnectTransport({ baseUrl, httpVersion: "1.1" });
    const widgets: Widget[] = [];
    for await (const event of client(transport).streamPage({ pageId: "home", platform: "web", clientVersion: "6.0.0" }))
      if (event.event.case === "widget") widgets.push(event.event.value.widget!);
    const items = widgets.flatMap(itemsOf);
    expect(items.length).toBeGreaterThan(200);
    for (const item of items) {
      expect(item.image!.url).not.toBe("");
      expect(item.image!.path).toBe("");
      expect(item.deepLink).not.toBe("");
      expect(item.action).toBeDefined();
    }
  });

  it("StreamPage reports a bad request as an error, not an empty stream", async () => {
    const transport = createConnectTransport({ baseUrl, httpVersion: "1.1" });
    const stream = client(transport).streamPage({ pageId: "home", platform: "" });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
  });
});
