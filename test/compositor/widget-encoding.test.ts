import { describe, expect, it } from "vitest";
import { create, equals, toBinary } from "@bufbuild/protobuf";
import { PageSchema } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { WidgetSchema } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import { encodePage } from "../../compositor/page-encoding.ts";
import { encodeWidget } from "../../compositor/widget-encoding.ts";
import { openTitle } from "../../widget-registry/sdk.ts";
import { decodePage } from "../support/page.ts";
import { devToken, startTessera } from "../support/tessera.ts";

describe("encodeWidget", () => {
  it("writes every widget of real pages byte for byte as toBinary does", async () => {
    const tessera = await startTessera();
    const requests = [
      { url: "/v1/pages/home?platform=web&clientVersion=5.0.0", claims: { userId: "u42", persona: "p3" } },
      { url: "/v1/pages/home?platform=tv&clientVersion=3.0.0&locale=fr", claims: { userId: "u9", cohort: "kids" } },
      { url: "/v1/pages/home?platform=android&clientVersion=1.0.0" },
    ];
    let widgets = 0;
    for (const { url, claims } of requests) {
      const headers: Record<string, string> = claims ? { authorization: `Bearer ${await devToken(claims)}` } : {};
      const page = decodePage((await tessera.app.inject({ method: "GET", url, headers })).rawPayload);
      for (const widget of page.widgets) {
        expect(Buffer.from(encodeWidget(widget)).equals(Buffer.from(toBinary(WidgetSchema, widget)))).toBe(true);
        widgets++;
      }
    }
    expect(widgets).toBeGreaterThanOrEqual(30);
    await tessera.app.close();
  });

  it("handles long strings, non-ASCII text, negative and large numbers, empty and absent fields", () => {
    const title = `Amélie — 天使 ${"x".repeat(300)}`;
    const widget = create(WidgetSchema, {
      instanceId: "w",
      type: "grid",
      body: {
        case: "grid",
        value: {
          title,
          columns: -3,
          items: [
            { contentId: "m1", title, progressPercent: 2_000_000_000, image: { url: "u".repeat(20_000), width: 0, height: 1 } },
            { contentId: "", title: "" },
          ],
        },
      },
    });
    expect(Buffer.from(encodeWidget(widget)).equals(Buffer.from(toBinary(WidgetSchema, widget)))).toBe(true);
    const empty = create(WidgetSchema, {});
    expect(Buffer.from(encodeWidget(empty)).equals(Buffer.from(toBinary(WidgetSchema, empty)))).toBe(true);
  });

  it("writes a frozen message from the bytes kept of it as toBinary writes it, short or long, each time", () => {
    const widgetWith = (title: string) =>
      create(WidgetSchema, {
        instanceId: "w",
        type: "grid",
        body: {
          case: "grid",
          value: { title, items: ["m1", "m2", "m1"].map((contentId) => ({ contentId, action: openTitle(contentId) })) },
        },
      });
    for (const title of ["first", "second"]) {
      const widget = widgetWith(title);
      expect(Object.isFrozen(openTitle("m1"))).toBe(true);
      expect(Buffer.from(encodeWidget(widget)).equals(Buffer.from(toBinary(WidgetSchema, widget)))).toBe(true);
    }
    // A frozen message longer than 127 bytes, whose length prefix takes two bytes.
    const frozenLogging = Object.freeze(create(WidgetSchema, { logging: { pageViewId: "v".repeat(300), instanceId: "i" } }).logging!);
    for (let round = 0; round < 2; round++) {
      const widget = create(WidgetSchema, { instanceId: `w${round}` });
      widget.logging = frozenLogging;
      expect(Buffer.from(encodeWidget(widget)).equals(Buffer.from(toBinary(WidgetSchema, widget)))).toBe(true);
    }
  });

  it("writes a frozen message whose parts are not frozen anew each time", () => {
    const logging = create(WidgetSchema, { logging: { pageViewId: "v", visibility: { visiblePercent: 50, durationMs: 800 } } }).logging!;
    Object.freeze(logging);
    for (const visiblePercent of [50, 75]) {
      logging.visibility!.visiblePercent = visiblePercent;
      const widget = create(WidgetSchema, { instanceId: "w" });
      widget.logging = logging;
      expect(Buffer.from(encodeWidget(widget)).equals(Buffer.from(toBinary(WidgetSchema, widget)))).toBe(true);
    }
  });
});

describe("encodePage held in pooled memory", () => {
  it("gives each page bytes of its own: pages carved one after another from the shared slabs never overlap", () => {
    const pages = Array.from({ length: 60 }, (_, n) => {
      const page = create(PageSchema, { pageId: `page-${n}`, layoutVersion: String(n) });
      const widget = create(WidgetSchema, {
        instanceId: `w${n}`,
        type: "tray",
        body: { case: "tray", value: { title: `${n}`.repeat(7000 + n) } },
      });
      page.widgets = [widget];
      return { page, bytes: encodePage(page, [encodeWidget(widget, "pooled")], { holder: "pooled" }) };
    });
    // 60 pages of 7–14 KB: past the end of at least one slab.
    expect(pages.reduce((total, { bytes }) => total + bytes.length, 0)).toBeGreaterThan(512 * 1024);
    for (const { page, bytes } of pages) expect(equals(PageSchema, decodePage(bytes), page)).toBe(true);
  });
});
