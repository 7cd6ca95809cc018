/**
 * Impressions and logging data (README.md): every widget of a page view carries its logging data
 * (one page view id per composition, its instance, position, variant, experiment, recommendation
 * request id, visibility rule) and its accessibility heading; every item its accessibility label
 * and one-based position. In protobuf JSON and in protobuf bytes alike.
 */
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { basicLogger, integrations } from "@launchdarkly/node-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFlagClient, type FlagClient } from "../../compositor/experiments/flag-client.ts";
import type { Tessera } from "../../compositor/server.ts";
import { PageSchema, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { ddsCallsOf, decodePage, itemsOf } from "../support/page.ts";
import { devToken, startTessera } from "../support/tessera.ts";

const REFERENCE = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const RECOMMENDED = new Set(["hero", "top-picks"]);

let tessera: Tessera;
beforeAll(async () => {
  tessera = await startTessera();
});
afterAll(() => tessera.app.close());

async function get(server: Tessera, url: string, headers: Record<string, string>) {
  const response = await server.app.inject({ method: "GET", url, headers });
  expect(response.statusCode, response.body).toBe(200);
  const page = headers.accept === "application/json" ? fromJson(PageSchema, response.json() as JsonValue) : decodePage(response.rawPayload);
  return { page, ddsCalls: ddsCallsOf(response.headers["server-timing"] as string) };
}

const signedIn = async (userId: string, persona: string) => ({ authorization: `Bearer ${await devToken({ userId, persona })}` });

/** The page view id the page's widgets share, after checking every widget's and item's logging and accessibility data. */
function checkReferencePage(page: Page): string {
  expect(page.widgets).toHaveLength(14);
  const pageViewId = page.widgets[0]!.logging!.pageViewId;
  expect(pageViewId).toMatch(/^[0-9a-f-]{36}$/);
  const recoIds = new Set<string>();
  page.widgets.forEach((widget, position) => {
    const logging = widget.logging!;
    expect(logging.pageViewId).toBe(pageViewId);
    expect(logging.instanceId).toBe(widget.instanceId);
    // The reference page leaves no placement out: positions in the layout are positions in the page.
    expect(logging.position).toBe(position);
    expect(logging.variantId).toBe("web");
    expect([logging.experimentFlag, logging.experimentVariation]).toEqual(["", ""]);
    expect(logging.visibility).toMatchObject({ visiblePercent: 50, durationMs: 800 });
    if (RECOMMENDED.has(widget.type)) {
      expect(logging.recoRequestId, widget.type).toMatch(/^reco-[0-9a-f]{8}$/);
      recoIds.add(logging.recoRequestId);
    } else {
      expect(logging.recoRequestId, widget.type).toBe("");
    }
    expect(widget.accessibilityHeading, widget.type).not.toBe("");
    itemsOf(widget).forEach((item, index) => {
      expect(item.accessibilityLabel).toContain(item.title);
      expect(item.logging?.position).toBe(index + 1);
    });
  });
  // Hero and top picks show the same persona's recommendation.
  expect(recoIds.size).toBe(1);
  return pageViewId;
}

describe("logging data of the reference page (signed in, web, 5.0.0)", () => {
  it("in protobuf JSON: one page view id for all widgets, instance ids, positions, variant, reco ids, visibility, headings, item labels and positions", async () => {
    const { page } = await get(tessera, REFERENCE, { ...(await signedIn("u11", "p1")), accept: "application/json" });
    checkReferencePage(page);
    expect(page.widgets.find((widget) => widget.type === "hero")!.accessibilityHeading).toBe("Featured");
  });

  it("in protobuf bytes, decoded: the same", async () => {
    const { page } = await get(tessera, REFERENCE, await signedIn("u12", "p2"));
    checkReferencePage(page);
  });

  it("gives each composition its own page view id, even when its widgets come from the widget cache, which keeps their reco id", async () => {
    const headers = await signedIn("u13", "p3");
    const cold = await get(tessera, REFERENCE, headers);
    const warm = await get(tessera, REFERENCE, headers);
    // Warm, only the user's own data is fetched: hero and top picks are widget cache hits.
    expect(warm.ddsCalls).toBe(3);
    const coldId = checkReferencePage(cold.page);
    const warmId = checkReferencePage(warm.page);
    expect(warmId).not.toBe(coldId);
    const recoIds = (page: Page) => page.widgets.filter((w) => RECOMMENDED.has(w.type)).map((w) => w.logging!.recoRequestId);
    expect(recoIds(warm.page)).toEqual(recoIds(cold.page));
    // Another user of the same persona shares the cached widgets, and their reco id.
    const other = await get(tessera, REFERENCE, await signedIn("u14", "p3"));
    expect(recoIds(other.page)).toEqual(recoIds(cold.page));
  });

  it("a copy of an anonymous page from the page cache repeats the page view id of the composition it copies", async () => {
    const url = "/v1/pages/home?platform=web&clientVersion=5.0.0&persona=p4";
    const first = await get(tessera, url, {});
    const copy = await get(tessera, url, {});
    expect(copy.ddsCalls).toBe(0);
    expect(copy.page.widgets[0]!.logging!.pageViewId).toBe(first.page.widgets[0]!.logging!.pageViewId);
  });

  it("the headings are in the request's locale", async () => {
    const { page } = await get(tessera, `${REFERENCE}&locale=fr`, await signedIn("u15", "p5"));
    const headings = Object.fromEntries(page.widgets.map((widget) => [widget.type, widget.accessibilityHeading]));
    expect(headings.hero).toBe("À la une");
    expect(headings["top-picks"]).toBe("Nos meilleurs choix pour vous");
  });
});

describe("the experiment in a widget's logging data", () => {
  const td = new integrations.TestData();
  let flags: FlagClient;
  let server: Tessera;

  beforeAll(async () => {
    td.update(
      td.flag("home-hero").variations("control", "hero-v2").variationForUser("u1", 0).variationForUser("u2", 1).fallthroughVariation(0),
    );
    flags = await startFlagClient({ dataSource: td.getFactory(), logger: basicLogger({ level: "none" }) });
    server = await startTessera({ flagsFor: flags.flagsFor });
  });
  afterAll(async () => {
    await server.app.close();
    flags.close();
  });

  it("is the experiment that chose the variant, with the caller's variation", async () => {
    for (const [userId, variation, variantId] of [
      ["u1", "control", "home-hero-control"],
      ["u2", "hero-v2", "home-hero-v2"],
    ] as const) {
      const { page } = await get(server, REFERENCE, { authorization: `Bearer ${await devToken({ userId })}`, accept: "application/json" });
      expect(page.experiments.map((e) => [e.flag, e.variation])).toEqual([["home-hero", variation]]);
      for (const widget of page.widgets) {
        expect(widget.logging).toMatchObject({ variantId, experimentFlag: "home-hero", experimentVariation: variation });
      }
    }
  });
});
